//! `showIf` conditions, with their references checked once every question is known.

use super::reader::{Cx, Obj, PendingRef};
use super::DefinitionErrorKind;
use crate::core::survey::condition::{Comparison, Condition};
use crate::core::survey::ids::QuestionId;
use crate::core::text::json::canonical;
use serde_json::Value;

pub(super) fn condition(value: &Value, path: String, cx: &mut Cx, asked_before: usize) -> Option<Condition> {
    let Value::Object(map) = value else {
        cx.err(path, DefinitionErrorKind::WrongType("a condition object"));
        return None;
    };
    let list = |key: &str, cx: &mut Cx| -> Option<Vec<Condition>> {
        let Some(Value::Array(items)) = map.get(key) else {
            cx.err(
                format!("{path}.{key}"),
                DefinitionErrorKind::WrongType("an array of conditions"),
            );
            return None;
        };
        let parsed: Vec<_> = items
            .iter()
            .enumerate()
            .map(|(i, v)| condition(v, format!("{path}.{key}[{i}]"), cx, asked_before))
            .collect();
        parsed.into_iter().collect()
    };
    if map.len() == 1 {
        if map.contains_key("all") {
            return list("all", cx).map(Condition::All);
        }
        if map.contains_key("any") {
            return list("any", cx).map(Condition::Any);
        }
        if let Some(inner) = map.get("not") {
            return condition(inner, format!("{path}.not"), cx, asked_before).map(|c| Condition::Not(Box::new(c)));
        }
    }
    const OPERATORS: &[&str] = &[
        "equals",
        "notEquals",
        "anyOf",
        "answered",
        "greaterThan",
        "lessThan",
        "atLeast",
        "atMost",
    ];
    let obj = Obj::new(value, path.clone(), &[&["question"], OPERATORS].concat(), cx)?;
    let question = QuestionId(obj.string("question", true, cx)?);
    let ops: Vec<&str> = OPERATORS.iter().copied().filter(|k| map.contains_key(*k)).collect();
    let [op] = ops.as_slice() else {
        cx.err(
            path,
            DefinitionErrorKind::WrongType("exactly one of all, any, not, or question with one operator"),
        );
        return None;
    };
    let operand = &map[*op];
    let op_path = obj.at(op);
    let scalar = |v: &Value| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_));
    let numeric = matches!(*op, "greaterThan" | "lessThan" | "atLeast" | "atMost");
    let condition = match *op {
        "equals" | "notEquals" if scalar(operand) => {
            if *op == "equals" {
                Condition::Equals(question.clone(), canonical(operand))
            } else {
                Condition::NotEquals(question.clone(), canonical(operand))
            }
        }
        "anyOf" => match operand {
            Value::Array(items) if !items.is_empty() && items.iter().all(scalar) => {
                Condition::AnyOf(question.clone(), items.iter().map(canonical).collect())
            }
            _ => {
                cx.err(op_path, DefinitionErrorKind::WrongType("a non-empty array of values"));
                return None;
            }
        },
        "answered" => match operand {
            Value::Bool(true) => Condition::Answered(question.clone()),
            Value::Bool(false) => Condition::NotAnswered(question.clone()),
            _ => {
                cx.err(op_path, DefinitionErrorKind::WrongType("true or false"));
                return None;
            }
        },
        _ if numeric => {
            let Some(n) = operand.as_f64() else {
                cx.err(op_path, DefinitionErrorKind::WrongType("a number"));
                return None;
            };
            let cmp = match *op {
                "greaterThan" => Comparison::GreaterThan,
                "lessThan" => Comparison::LessThan,
                "atLeast" => Comparison::AtLeast,
                _ => Comparison::AtMost,
            };
            Condition::Compare(question.clone(), cmp, n)
        }
        _ => {
            cx.err(op_path, DefinitionErrorKind::WrongType("a string, number or boolean"));
            return None;
        }
    };
    cx.pending.push(PendingRef {
        path: obj.at("question"),
        id: question,
        numeric,
        asked_before,
    });
    Some(condition)
}
