//! Skip logic: conditions on earlier answers that show or hide a question or a page.
use super::ids::QuestionId;
use serde_json::Value;

/// A comparison of a numeric answer with a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// Strictly greater than.
    GreaterThan,
    /// Strictly less than.
    LessThan,
    /// Greater than or equal to.
    AtLeast,
    /// Less than or equal to.
    AtMost,
}

/// A condition. Hidden questions count as not answered.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Condition {
    /// The answer is this value; for checkboxes, the value is among those ticked.
    Equals(QuestionId, Value),
    /// The answer is answered and is not this value (for checkboxes: not ticked).
    NotEquals(QuestionId, Value),
    /// The answer is one of these values; for checkboxes, any of them is ticked.
    AnyOf(QuestionId, Vec<Value>),
    /// The question has an answer.
    Answered(QuestionId),
    /// The question has no answer.
    NotAnswered(QuestionId),
    /// A numeric answer compares with the number.
    Compare(QuestionId, Comparison, f64),
    /// Every condition holds (true when empty).
    All(Vec<Condition>),
    /// At least one condition holds (false when empty).
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
}

/// Whether a typed answer "is" a value: equal, or for an "Other" radio its choice value, or for
/// checkboxes containing it. Numbers compare numerically so `5` equals a rating of 5.
fn matches(answer: &Value, wanted: &Value) -> bool {
    match answer {
        Value::Array(items) => items.iter().any(|i| scalar_eq(i, wanted)),
        Value::Object(obj) => obj.get("value").is_some_and(|v| scalar_eq(v, wanted)),
        _ => scalar_eq(answer, wanted),
    }
}

fn scalar_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

impl Condition {
    /// Evaluates the condition; `answer` gives the typed answer of a visible question, `None`
    /// when it is hidden or unanswered.
    pub fn eval(&self, answer: &dyn Fn(&QuestionId) -> Option<Value>) -> bool {
        match self {
            Self::Equals(q, v) => answer(q).is_some_and(|a| matches(&a, v)),
            Self::NotEquals(q, v) => answer(q).is_some_and(|a| !matches(&a, v)),
            Self::AnyOf(q, vs) => answer(q).is_some_and(|a| vs.iter().any(|v| matches(&a, v))),
            Self::Answered(q) => answer(q).is_some(),
            Self::NotAnswered(q) => answer(q).is_none(),
            Self::Compare(q, op, n) => answer(q).and_then(|a| a.as_f64()).is_some_and(|a| match op {
                Comparison::GreaterThan => a > *n,
                Comparison::LessThan => a < *n,
                Comparison::AtLeast => a >= *n,
                Comparison::AtMost => a <= *n,
            }),
            Self::All(cs) => cs.iter().all(|c| c.eval(answer)),
            Self::Any(cs) => cs.iter().any(|c| c.eval(answer)),
            Self::Not(c) => !c.eval(answer),
        }
    }

    /// Every question the condition refers to.
    pub fn references(&self) -> Vec<&QuestionId> {
        match self {
            Self::Equals(q, _)
            | Self::NotEquals(q, _)
            | Self::AnyOf(q, _)
            | Self::Answered(q)
            | Self::NotAnswered(q)
            | Self::Compare(q, _, _) => vec![q],
            Self::All(cs) | Self::Any(cs) => cs.iter().flat_map(|c| c.references()).collect(),
            Self::Not(c) => c.references(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lookup(q: &QuestionId) -> Option<Value> {
        match q.as_str() {
            "role" => Some(json!("parent")),
            "hours" => Some(json!(35)),
            "support" => Some(json!(["respite", "advice"])),
            "where" => Some(json!({"value": "other", "other": "Church hall"})),
            _ => None,
        }
    }

    fn q(s: &str) -> QuestionId {
        QuestionId::from(s)
    }

    #[test]
    fn equality_and_membership() {
        assert!(Condition::Equals(q("role"), json!("parent")).eval(&lookup));
        assert!(!Condition::Equals(q("role"), json!("child")).eval(&lookup));
        assert!(Condition::Equals(q("support"), json!("advice")).eval(&lookup));
        assert!(Condition::Equals(q("where"), json!("other")).eval(&lookup));
        assert!(Condition::NotEquals(q("role"), json!("child")).eval(&lookup));
        assert!(!Condition::NotEquals(q("missing"), json!("child")).eval(&lookup));
        assert!(Condition::AnyOf(q("support"), vec![json!("x"), json!("respite")]).eval(&lookup));
        assert!(!Condition::AnyOf(q("role"), vec![]).eval(&lookup));
        assert!(Condition::Equals(q("hours"), json!(35.0)).eval(&lookup));
    }

    #[test]
    fn answered_and_numbers() {
        assert!(Condition::Answered(q("role")).eval(&lookup));
        assert!(Condition::NotAnswered(q("missing")).eval(&lookup));
        assert!(Condition::Compare(q("hours"), Comparison::AtLeast, 35.0).eval(&lookup));
        assert!(!Condition::Compare(q("hours"), Comparison::GreaterThan, 35.0).eval(&lookup));
        assert!(Condition::Compare(q("hours"), Comparison::LessThan, 50.0).eval(&lookup));
        assert!(Condition::Compare(q("hours"), Comparison::AtMost, 35.0).eval(&lookup));
        assert!(!Condition::Compare(q("role"), Comparison::AtMost, 35.0).eval(&lookup));
        assert!(!Condition::Compare(q("missing"), Comparison::AtMost, 35.0).eval(&lookup));
    }

    #[test]
    fn combinators() {
        let yes = Condition::Answered(q("role"));
        let no = Condition::Answered(q("missing"));
        assert!(Condition::All(vec![]).eval(&lookup));
        assert!(!Condition::Any(vec![]).eval(&lookup));
        assert!(!Condition::All(vec![yes.clone(), no.clone()]).eval(&lookup));
        assert!(Condition::Any(vec![yes.clone(), no.clone()]).eval(&lookup));
        assert!(Condition::Not(Box::new(no.clone())).eval(&lookup));
        assert_eq!(Condition::All(vec![yes, no]).references().len(), 2);
    }
}
