//! XLSForm's expressions, the small part of XPath that `relevant` and `constraint` use:
//! `${q} = 'x'`, `${q} != ''`, `selected(${q}, 'x')`, comparisons with numbers, `and`, `or`,
//! `not( )`, brackets, and for constraints `.` with `regex( )`, `string-length( )`,
//! `count-selected( )`, `today()` and `date( )`.
//!
//! Read the way ODK reads them: `${q} != 'x'` is true when `q` is unanswered, so it becomes
//! `not(equals)`; the widget's `notEquals` (answered, and not that value) is written
//! `${q} != '' and ${q} != 'x'` (for ticks, `count-selected(${q}) > 0 and
//! not(selected(${q}, 'x'))`), which reads back as `notEquals`. A chain of `or`s testing one
//! question against values reads as `anyOf`. Brackets are kept, so `a and (b and c)` reads
//! back as it was written.
use serde_json::{json, Map, Value};

/// Nested brackets and `not`s beyond this are refused, so a hostile cell cannot exhaust the
/// stack.
const MAX_DEPTH: usize = 32;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// `${name}`.
    Ref(String),
    /// `.`, the question's own answer.
    Dot,
    /// `'text'` or `"text"`.
    Text(String),
    /// A number as written.
    Number(String),
    /// A comparison.
    Cmp(Box<Expr>, Op, Box<Expr>),
    /// A function call other than `not`.
    Call(String, Vec<Expr>),
    /// `not(…)`.
    Not(Box<Expr>),
    /// A chain of `and`s.
    And(Vec<Expr>),
    /// A chain of `or`s.
    Or(Vec<Expr>),
    /// `( … )`.
    Group(Box<Expr>),
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `<`
    Lt,
    /// `>=`
    Ge,
    /// `<=`
    Le,
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ref(String),
    Dot,
    Text(String),
    Number(String),
    Word(String),
    Op(Op),
    Open,
    Close,
    Comma,
}

/// An expression that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot read the expression")]
pub struct ExprError;

fn tokens(text: &str) -> Result<Vec<Token>, ExprError> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '$' if chars.get(i + 1) == Some(&'{') => {
                let end = chars[i..].iter().position(|&c| c == '}').ok_or(ExprError)? + i;
                out.push(Token::Ref(
                    chars[i + 2..end].iter().collect::<String>().trim().to_owned(),
                ));
                i = end + 1;
            }
            '\'' | '"' => {
                let end = chars[i + 1..].iter().position(|&d| d == c).ok_or(ExprError)? + i + 1;
                out.push(Token::Text(chars[i + 1..end].iter().collect()));
                i = end + 1;
            }
            '(' => (out.push(Token::Open), i += 1).1,
            ')' => (out.push(Token::Close), i += 1).1,
            ',' => (out.push(Token::Comma), i += 1).1,
            '=' => (out.push(Token::Op(Op::Eq)), i += 1).1,
            '!' if chars.get(i + 1) == Some(&'=') => (out.push(Token::Op(Op::Ne)), i += 2).1,
            '>' | '<' => {
                let or_equal = chars.get(i + 1) == Some(&'=');
                let op = match (c, or_equal) {
                    ('>', false) => Op::Gt,
                    ('>', true) => Op::Ge,
                    ('<', false) => Op::Lt,
                    _ => Op::Le,
                };
                out.push(Token::Op(op));
                i += if or_equal { 2 } else { 1 };
            }
            '.' if !chars.get(i + 1).is_some_and(char::is_ascii_digit) => (out.push(Token::Dot), i += 1).1,
            c if c.is_ascii_digit() || c == '-' || c == '.' => {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let n: String = chars[start..i].iter().collect();
                n.parse::<f64>().map_err(|_| ExprError)?;
                out.push(Token::Number(n));
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '-' || chars[i] == '_') {
                    i += 1;
                }
                out.push(Token::Word(chars[start..i].iter().collect()));
            }
            _ => return Err(ExprError),
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    depth: usize,
}

/// Parses an expression.
pub fn parse(text: &str) -> Result<Expr, ExprError> {
    let mut p = Parser {
        tokens: tokens(text)?,
        at: 0,
        depth: 0,
    };
    let e = p.or()?;
    if p.at == p.tokens.len() {
        Ok(e)
    } else {
        Err(ExprError)
    }
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(x)) if x == w)
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        let mut items = vec![self.and()?];
        while self.word("or") {
            self.at += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        let mut items = vec![self.comparison()?];
        while self.word("and") {
            self.at += 1;
            items.push(self.comparison()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Expr::And(items)
        })
    }

    fn comparison(&mut self) -> Result<Expr, ExprError> {
        let left = self.primary()?;
        if let Some(Token::Op(op)) = self.peek().cloned() {
            self.at += 1;
            let right = self.primary()?;
            return Ok(Expr::Cmp(Box::new(left), op, Box::new(right)));
        }
        Ok(left)
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError);
        }
        let e = match self.next().ok_or(ExprError)? {
            Token::Ref(r) => Expr::Ref(r),
            Token::Dot => Expr::Dot,
            Token::Text(t) => Expr::Text(t),
            Token::Number(n) => Expr::Number(n),
            Token::Open => {
                let inner = self.or()?;
                self.expect(Token::Close)?;
                Expr::Group(Box::new(inner))
            }
            Token::Word(name) if self.peek() == Some(&Token::Open) => {
                self.at += 1;
                let mut args = Vec::new();
                if self.peek() != Some(&Token::Close) {
                    args.push(self.or()?);
                    while self.peek() == Some(&Token::Comma) {
                        self.at += 1;
                        args.push(self.or()?);
                    }
                }
                self.expect(Token::Close)?;
                if name == "not" {
                    if args.len() != 1 {
                        return Err(ExprError);
                    }
                    Expr::Not(Box::new(args.remove(0)))
                } else {
                    Expr::Call(name, args)
                }
            }
            _ => return Err(ExprError),
        };
        self.depth -= 1;
        Ok(e)
    }

    fn expect(&mut self, t: Token) -> Result<(), ExprError> {
        (self.next() == Some(t)).then_some(()).ok_or(ExprError)
    }
}

/// What a condition needs to know about the question it tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answers {
    /// Ticks (`multipleChoice`): `selected( )` is how a spreadsheet tests one.
    Several,
    /// A number (`number`, `rating`): quoted numbers are read as numbers.
    Number,
    /// Anything else.
    One,
}

/// A `relevant` read as a `showIf` condition. `kind` says how each question answers (`None`
/// for a question not known, which the survey's loading then reports).
pub fn condition(e: &Expr, kind: &dyn Fn(&str) -> Option<Answers>) -> Result<Value, ExprError> {
    let value = |q: &str, lit: &Expr| -> Result<Value, ExprError> {
        let numeric = kind(q) == Some(Answers::Number);
        match lit {
            Expr::Text(t) if numeric => Ok(number(t).unwrap_or_else(|| json!(t))),
            Expr::Text(t) => Ok(json!(t)),
            Expr::Number(n) if numeric => number(n).ok_or(ExprError),
            Expr::Number(n) => Ok(json!(n)),
            _ => Err(ExprError),
        }
    };
    fn equals(e: &Expr) -> Option<(String, &Expr)> {
        match e {
            Expr::Cmp(l, Op::Eq, r) => match (&**l, &**r) {
                (Expr::Ref(q), lit @ (Expr::Text(_) | Expr::Number(_))) if !matches!(lit, Expr::Text(t) if t.is_empty()) => {
                    Some((q.clone(), lit))
                }
                _ => None,
            },
            Expr::Call(f, args) if f == "selected" && args.len() == 2 => match (&args[0], &args[1]) {
                (Expr::Ref(q), lit @ (Expr::Text(_) | Expr::Number(_))) => Some((q.clone(), lit)),
                _ => None,
            },
            _ => None,
        }
    }
    // `${q} != ''` (false) or `count-selected(${q}) > 0` (true): the first half of a
    // `notEquals`, the second saying which spelling the second half must use.
    fn answered(e: &Expr) -> Option<(String, bool)> {
        match e {
            Expr::Cmp(l, Op::Ne, r) => match (&**l, &**r) {
                (Expr::Ref(q), Expr::Text(t)) if t.is_empty() => Some((q.clone(), false)),
                _ => None,
            },
            Expr::Cmp(l, Op::Gt, r) if **r == Expr::Number("0".into()) => match &**l {
                Expr::Call(f, args) if f == "count-selected" && args.len() == 1 => match &args[0] {
                    Expr::Ref(q) => Some((q.clone(), true)),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }
    // `${q} != 'x'` or `not(selected(${q}, 'x'))`: the second half of a `notEquals`.
    fn differs(e: &Expr) -> Option<(String, &Expr, bool)> {
        match e {
            Expr::Cmp(l, Op::Ne, r) => match (&**l, &**r) {
                (Expr::Ref(q), lit @ (Expr::Text(_) | Expr::Number(_))) if !matches!(lit, Expr::Text(t) if t.is_empty()) => {
                    Some((q.clone(), lit, false))
                }
                _ => None,
            },
            Expr::Not(inner) => match &**inner {
                Expr::Call(f, args) if f == "selected" && args.len() == 2 => match (&args[0], &args[1]) {
                    (Expr::Ref(q), lit @ (Expr::Text(_) | Expr::Number(_))) => Some((q.clone(), lit, true)),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }
    if let Some((q, lit)) = equals(e) {
        return Ok(json!({ "question": q, "equals": value(&q, lit)? }));
    }
    match e {
        Expr::Group(inner) => condition(inner, kind),
        Expr::Not(inner) => Ok(json!({ "not": condition(inner, kind)? })),
        Expr::Call(f, args) if f == "true" && args.is_empty() => Ok(json!({ "all": [] })),
        Expr::Call(f, args) if f == "false" && args.is_empty() => Ok(json!({ "any": [] })),
        e @ Expr::Cmp(..) if answered(e).is_some_and(|(_, counted)| counted) => {
            let (q, _) = answered(e).ok_or(ExprError)?;
            Ok(json!({ "question": q, "answered": true }))
        }
        Expr::Cmp(l, op, r) => match (&**l, op, &**r) {
            (Expr::Ref(q), Op::Eq, Expr::Text(t)) if t.is_empty() => Ok(json!({ "question": q, "answered": false })),
            (Expr::Ref(q), Op::Ne, Expr::Text(t)) if t.is_empty() => Ok(json!({ "question": q, "answered": true })),
            (Expr::Ref(q), Op::Ne, lit) => Ok(json!({ "not": { "question": q, "equals": value(q, lit)? } })),
            (Expr::Ref(q), op, lit) => {
                let n = match lit {
                    Expr::Number(n) | Expr::Text(n) => number(n).ok_or(ExprError)?,
                    _ => return Err(ExprError),
                };
                let key = match op {
                    Op::Gt => "greaterThan",
                    Op::Lt => "lessThan",
                    Op::Ge => "atLeast",
                    _ => "atMost",
                };
                Ok(json!({ "question": q, key: n }))
            }
            _ => Err(ExprError),
        },
        Expr::And(items) => {
            let mut out = Vec::new();
            let mut i = 0;
            while i < items.len() {
                if let (Some((q, counted)), Some((q2, lit, ticks))) =
                    (answered(&items[i]), items.get(i + 1).and_then(|e| differs(e)))
                {
                    if q == q2 && counted == ticks {
                        out.push(json!({ "question": q, "notEquals": value(&q, lit)? }));
                        i += 2;
                        continue;
                    }
                }
                out.push(condition(&items[i], kind)?);
                i += 1;
            }
            Ok(if out.len() == 1 {
                out.remove(0)
            } else {
                json!({ "all": out })
            })
        }
        Expr::Or(items) => {
            let tests: Vec<Option<(String, &Expr)>> = items.iter().map(|e| equals(e)).collect();
            if let Some(Some((q, _))) = tests.first() {
                if tests.iter().all(|t| matches!(t, Some((q2, _)) if q2 == q)) {
                    let values = tests
                        .iter()
                        .flatten()
                        .map(|(_, lit)| value(q, lit))
                        .collect::<Result<Vec<_>, _>>()?;
                    return Ok(json!({ "question": q, "anyOf": values }));
                }
            }
            let out = items
                .iter()
                .map(|e| condition(e, kind))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(json!({ "any": out }))
        }
        _ => Err(ExprError),
    }
}

fn number(text: &str) -> Option<Value> {
    let text = text.trim();
    if let Ok(i) = text.parse::<i64>() {
        return Some(json!(i));
    }
    text.parse::<f64>().ok().filter(|f| f.is_finite()).map(|f| json!(f))
}

/// A `showIf` written as a `relevant`; `None` for a shape it cannot write (a value holding
/// both kinds of quote).
pub fn relevant(condition: &Value, several: &dyn Fn(&str) -> bool) -> Option<String> {
    write(condition, several, false)
}

/// Writes `c`; `nested` when it sits inside `and`, `or` or `not`, where a chain needs brackets.
fn write(c: &Value, several: &dyn Fn(&str) -> bool, nested: bool) -> Option<String> {
    let c = c.as_object()?;
    let bracket = |s: String| if nested { format!("({s})") } else { s };
    let chain = |items: &Value, joiner: &str| -> Option<String> {
        let parts = items
            .as_array()?
            .iter()
            .map(|i| write(i, several, true))
            .collect::<Option<Vec<_>>>()?;
        Some(parts.join(joiner))
    };
    if let Some(items) = c.get("all") {
        return Some(match items.as_array()?.len() {
            0 => "true()".to_owned(),
            _ => bracket(chain(items, " and ")?),
        });
    }
    if let Some(items) = c.get("any") {
        return Some(match items.as_array()?.len() {
            0 => "false()".to_owned(),
            _ => bracket(chain(items, " or ")?),
        });
    }
    if let Some(inner) = c.get("not") {
        return Some(format!("not({})", write(inner, several, false)?));
    }
    let q = c.get("question")?.as_str()?;
    let r = format!("${{{q}}}");
    let is = |v: &Value| -> Option<String> {
        let lit = literal(v)?;
        Some(if several(q) {
            format!("selected({r}, {lit})")
        } else {
            format!("{r} = {lit}")
        })
    };
    if let Some(v) = c.get("equals") {
        return is(v);
    }
    if let Some(v) = c.get("notEquals") {
        let lit = literal(v)?;
        // Ticks are answered when one is ticked, and `!=` would compare the whole selection.
        return Some(bracket(if several(q) {
            format!("count-selected({r}) > 0 and not(selected({r}, {lit}))")
        } else {
            format!("{r} != '' and {r} != {lit}")
        }));
    }
    if let Some(vs) = c.get("anyOf") {
        let parts = vs.as_array()?.iter().map(is).collect::<Option<Vec<_>>>()?;
        return Some(if parts.len() > 1 {
            bracket(parts.join(" or "))
        } else {
            parts.join("")
        });
    }
    if let Some(a) = c.get("answered") {
        return Some(if a.as_bool()? {
            format!("{r} != ''")
        } else {
            format!("{r} = ''")
        });
    }
    for (key, op) in [
        ("greaterThan", ">"),
        ("lessThan", "<"),
        ("atLeast", ">="),
        ("atMost", "<="),
    ] {
        if let Some(n) = c.get(key) {
            return Some(format!("{r} {op} {n}"));
        }
    }
    None
}

/// A value as an XPath literal: numbers as written, text in quotes.
fn literal(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.contains('\'') => Some(format!("'{s}'")),
        Value::String(s) if !s.contains('"') => Some(format!("\"{s}\"")),
        _ => None,
    }
}

/// What a question's type lets a constraint say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Checks {
    /// `number`: `. >= n`, `. <= n`.
    Number,
    /// `text`, `longText`: `string-length(.)`, `regex(., 'p')`.
    Text,
    /// `date`: `. <= today()`, `. >= date('YYYY-MM-DD')`.
    Date,
    /// `multipleChoice`: `count-selected(.)`.
    Ticks,
}

/// A `constraint` read as the question's settings (`min`, `maxLength`, `pattern`, `past` …),
/// each with the message rule it fills (`between` for a number's `min` and `max` together).
pub fn constraint(e: &Expr, checks: Checks) -> Result<(Map<String, Value>, Vec<&'static str>), ExprError> {
    let items: Vec<&Expr> = match e {
        Expr::And(items) => items.iter().collect(),
        e => vec![e],
    };
    let mut settings = Map::new();
    for item in items {
        let (key, value) = setting(item, checks)?;
        if settings.insert(key.to_owned(), value).is_some() {
            return Err(ExprError);
        }
    }
    let mut rules: Vec<&'static str> = Vec::new();
    let has = |k: &str| settings.contains_key(k);
    match checks {
        Checks::Number if has("min") && has("max") => rules.push("between"),
        Checks::Ticks => rules.extend(["minSelected", "maxSelected"].into_iter().filter(|k| has(k))),
        Checks::Text => rules.extend(["minLength", "maxLength", "pattern"].into_iter().filter(|k| has(k))),
        Checks::Date => rules.extend(["min", "max", "past"].into_iter().filter(|k| has(k))),
        Checks::Number => rules.extend(["min", "max"].into_iter().filter(|k| has(k))),
    }
    Ok((settings, rules))
}

fn setting(e: &Expr, checks: Checks) -> Result<(&'static str, Value), ExprError> {
    let whole = |e: &Expr| match e {
        Expr::Number(n) => n.parse::<u64>().map(|n| json!(n)).map_err(|_| ExprError),
        _ => Err(ExprError),
    };
    let date = |e: &Expr| match e {
        Expr::Text(t) => Ok(json!(t)),
        Expr::Call(f, args) if f == "date" && args.len() == 1 => match &args[0] {
            Expr::Text(t) => Ok(json!(t)),
            _ => Err(ExprError),
        },
        _ => Err(ExprError),
    };
    let call_on_dot =
        |e: &Expr, name: &str| matches!(e, Expr::Call(f, args) if f == name && args.as_slice() == [Expr::Dot]);
    match (checks, e) {
        (Checks::Number, Expr::Cmp(l, op, r)) if **l == Expr::Dot => {
            let n = match &**r {
                Expr::Number(n) => number(n).ok_or(ExprError)?,
                _ => return Err(ExprError),
            };
            match op {
                Op::Ge => Ok(("min", n)),
                Op::Le => Ok(("max", n)),
                _ => Err(ExprError),
            }
        }
        (Checks::Date, Expr::Cmp(l, op, r)) if **l == Expr::Dot => match (op, &**r) {
            (Op::Le, Expr::Call(f, args)) if f == "today" && args.is_empty() => Ok(("past", json!(true))),
            (Op::Ge, r) => Ok(("min", date(r)?)),
            (Op::Le, r) => Ok(("max", date(r)?)),
            _ => Err(ExprError),
        },
        (Checks::Text, Expr::Call(f, args)) if f == "regex" && args.len() == 2 && args[0] == Expr::Dot => {
            match &args[1] {
                Expr::Text(p) => Ok(("pattern", json!(p))),
                _ => Err(ExprError),
            }
        }
        (Checks::Text, Expr::Cmp(l, op, r)) if call_on_dot(l, "string-length") => match op {
            Op::Ge => Ok(("minLength", whole(r)?)),
            Op::Le => Ok(("maxLength", whole(r)?)),
            _ => Err(ExprError),
        },
        (Checks::Ticks, Expr::Cmp(l, op, r)) if call_on_dot(l, "count-selected") => match op {
            Op::Ge => Ok(("minSelected", whole(r)?)),
            Op::Le => Ok(("maxSelected", whole(r)?)),
            _ => Err(ExprError),
        },
        _ => Err(ExprError),
    }
}

/// A question's settings written as a `constraint`, with the settings it wrote; `None` when
/// it has none to write.
pub fn constraint_of(q: &Map<String, Value>, checks: Checks) -> Option<(String, Vec<&'static str>)> {
    let mut parts = Vec::new();
    let mut used = Vec::new();
    let mut add = |key: &'static str, text: Option<String>| {
        if let Some(text) = text {
            parts.push(text);
            used.push(key);
        }
    };
    let n = |k: &str| q.get(k).filter(|v| v.is_number()).map(Value::to_string);
    match checks {
        Checks::Number => {
            add("min", n("min").map(|v| format!(". >= {v}")));
            add("max", n("max").map(|v| format!(". <= {v}")));
        }
        Checks::Text => {
            add("minLength", n("minLength").map(|v| format!("string-length(.) >= {v}")));
            add("maxLength", n("maxLength").map(|v| format!("string-length(.) <= {v}")));
            add(
                "pattern",
                q.get("pattern").and_then(literal).map(|p| format!("regex(., {p})")),
            );
        }
        Checks::Date => {
            let d = |k: &str| {
                q.get(k)
                    .and_then(Value::as_str)
                    .filter(|d| !d.contains('\''))
                    .map(str::to_owned)
            };
            add("min", d("min").map(|v| format!(". >= date('{v}')")));
            add("max", d("max").map(|v| format!(". <= date('{v}')")));
            add(
                "past",
                (q.get("past") == Some(&json!(true))).then(|| ". <= today()".to_owned()),
            );
        }
        Checks::Ticks => {
            add(
                "minSelected",
                n("minSelected").map(|v| format!("count-selected(.) >= {v}")),
            );
            add(
                "maxSelected",
                n("maxSelected").map(|v| format!("count-selected(.) <= {v}")),
            );
        }
    }
    (!parts.is_empty()).then(|| (parts.join(" and "), used))
}
