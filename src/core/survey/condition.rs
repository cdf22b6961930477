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
        self.eval_partial(&|q| Some(answer(q))) == Some(true)
    }

    /// Evaluates the condition while some answers are not settled yet (Kleene's three-valued
    /// logic): `answer` gives `Some(typed answer or None)` for a settled question and `None`
    /// for one that may still change. The result is `None` when the settled answers do not
    /// decide it. Settling more answers never turns a decided result round, which is what
    /// keeps the progress total from rising.
    pub fn eval_partial(&self, answer: &dyn Fn(&QuestionId) -> Option<Option<Value>>) -> Option<bool> {
        let test = |q: &QuestionId, f: &dyn Fn(Option<Value>) -> bool| answer(q).map(f);
        match self {
            Self::Equals(q, v) => test(q, &|a| a.is_some_and(|a| matches(&a, v))),
            Self::NotEquals(q, v) => test(q, &|a| a.is_some_and(|a| !matches(&a, v))),
            Self::AnyOf(q, vs) => test(q, &|a| a.is_some_and(|a| vs.iter().any(|v| matches(&a, v)))),
            Self::Answered(q) => test(q, &|a| a.is_some()),
            Self::NotAnswered(q) => test(q, &|a| a.is_none()),
            Self::Compare(q, op, n) => test(q, &|a| {
                a.and_then(|a| a.as_f64()).is_some_and(|a| match op {
                    Comparison::GreaterThan => a > *n,
                    Comparison::LessThan => a < *n,
                    Comparison::AtLeast => a >= *n,
                    Comparison::AtMost => a <= *n,
                })
            }),
            // All holds unless one fails; it is decided once one fails or every one holds.
            Self::All(cs) => fold(cs, answer, false),
            Self::Any(cs) => fold(cs, answer, true),
            Self::Not(c) => c.eval_partial(answer).map(|b| !b),
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

/// `All` (`short` false) or `Any` (`short` true): one result equal to `short` decides; else
/// the result is `!short` once every part is decided.
fn fold(cs: &[Condition], answer: &dyn Fn(&QuestionId) -> Option<Option<Value>>, short: bool) -> Option<bool> {
    let mut decided = true;
    for c in cs {
        match c.eval_partial(answer) {
            Some(b) if b == short => return Some(short),
            Some(_) => {}
            None => decided = false,
        }
    }
    decided.then_some(!short)
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

    /// Issue #8: `role` and `hours` are settled, everything else may still change.
    fn partial(q: &QuestionId) -> Option<Option<Value>> {
        match q.as_str() {
            "role" | "hours" => Some(lookup(q)),
            "skipped" => Some(None),
            _ => None,
        }
    }

    #[test]
    fn unsettled_answers_leave_a_condition_undecided_unless_the_rest_decides_it() {
        let settled_yes = Condition::Equals(q("role"), json!("parent"));
        let settled_no = Condition::Compare(q("hours"), Comparison::GreaterThan, 40.0);
        let open = Condition::Equals(q("later"), json!("yes"));
        assert_eq!(settled_yes.eval_partial(&partial), Some(true));
        assert_eq!(settled_no.eval_partial(&partial), Some(false));
        assert_eq!(open.eval_partial(&partial), None);
        assert_eq!(Condition::NotAnswered(q("skipped")).eval_partial(&partial), Some(true));
        assert_eq!(Condition::Answered(q("later")).eval_partial(&partial), None);
        let all = |cs: Vec<&Condition>| Condition::All(cs.into_iter().cloned().collect());
        let any = |cs: Vec<&Condition>| Condition::Any(cs.into_iter().cloned().collect());
        assert_eq!(all(vec![&settled_no, &open]).eval_partial(&partial), Some(false));
        assert_eq!(all(vec![&settled_yes, &open]).eval_partial(&partial), None);
        assert_eq!(any(vec![&settled_yes, &open]).eval_partial(&partial), Some(true));
        assert_eq!(any(vec![&settled_no, &open]).eval_partial(&partial), None);
        assert_eq!(Condition::Not(Box::new(open.clone())).eval_partial(&partial), None);
        assert_eq!(Condition::Not(Box::new(settled_no)).eval_partial(&partial), Some(true));
    }
}
