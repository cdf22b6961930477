//! A small, bounded pattern matcher for short text answers (postcodes, reference numbers).
//!
//! Why not a regex crate: `regex-lite`, the smallest maintained one, added 47 KB (18 KB brotli)
//! to the wasm bundle, 15 % of its whole budget, for one validation rule. This matcher covers
//! the syntax survey authors need, in a few KB, and the native tests check it against
//! `regex-lite` on generated patterns and inputs.
//!
//! Syntax: literals; `.`; classes `[a-z0-9]`, `[^…]`; `\d \D \w \W \s \S` (ASCII, as in
//! `regex-lite`); escaped punctuation; groups `( )` and `(?: )`; alternation `|`; greedy
//! `* + ?` and `{n}`, `{n,}`, `{n,m}`. A pattern always matches the whole answer. Matching is a
//! Thompson NFA simulation, linear in the length of the answer, and compiled programs are
//! capped, so no pattern can make validation slow.

/// Most instructions a compiled pattern may have.
const MAX_PROGRAM: usize = 2048;
/// Deepest nesting of groups.
const MAX_DEPTH: usize = 16;
/// Largest count in `{n,m}`.
const MAX_COUNT: u32 = 100;

/// A compiled pattern that matches whole strings.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    program: Vec<Inst>,
}

/// A set of characters: inclusive ranges, possibly negated.
#[derive(Clone, Debug, PartialEq)]
struct Class {
    ranges: Vec<(char, char)>,
    negated: bool,
}

impl Class {
    fn of(ranges: &[(char, char)], negated: bool) -> Self {
        Self {
            ranges: ranges.to_vec(),
            negated,
        }
    }

    fn matches(&self, c: char) -> bool {
        self.ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != self.negated
    }
}

const DIGIT: &[(char, char)] = &[('0', '9')];
const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
const SPACE: &[(char, char)] = &[('\t', '\r'), (' ', ' ')];

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Class(Class),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

#[derive(Clone, Debug, PartialEq)]
enum Inst {
    Char(Class),
    Split(usize, usize),
    Jmp(usize),
    Match,
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    depth: usize,
}

impl Parser<'_> {
    fn alternation(&mut self) -> Result<Node, String> {
        let mut branches = vec![self.concat()?];
        while self.chars.peek() == Some(&'|') {
            self.chars.next();
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.remove(0)
        } else {
            Node::Alt(branches)
        })
    }

    fn concat(&mut self) -> Result<Node, String> {
        let mut items = Vec::new();
        // Answers are matched whole, so a `^` that starts the pattern (or one of its top-level
        // alternatives) and a `$` that ends it change nothing: they are taken, as authors used
        // to other tools write them (issue #22), and refused anywhere else.
        if self.depth == 0 && self.chars.peek() == Some(&'^') {
            self.chars.next();
        }
        while let Some(&c) = self.chars.peek() {
            if c == '|' || c == ')' {
                break;
            }
            if c == '$' && self.depth == 0 {
                self.chars.next();
                if matches!(self.chars.peek(), None | Some('|')) {
                    break;
                }
                return Err(ANCHORS.into());
            }
            let atom = self.atom()?;
            items.push(self.quantified(atom)?);
        }
        Ok(Node::Concat(items))
    }

    fn atom(&mut self) -> Result<Node, String> {
        let Some(c) = self.chars.next() else {
            return Err("unexpected end of pattern".into());
        };
        Ok(match c {
            '(' => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err("groups are nested too deeply".into());
                }
                if self.chars.peek() == Some(&'?') {
                    self.chars.next();
                    if self.chars.next() != Some(':') {
                        return Err("only (?: ) groups are supported".into());
                    }
                }
                let inner = self.alternation()?;
                if self.chars.next() != Some(')') {
                    return Err("unclosed group".into());
                }
                self.depth -= 1;
                inner
            }
            ')' => return Err("unopened group".into()),
            '[' => Node::Class(self.class()?),
            '.' => Node::Class(Class::of(&[('\n', '\n')], true)),
            '\\' => Node::Class(self.escape(false)?),
            '*' | '+' | '?' | '{' => return Err(format!("nothing to repeat before `{c}`")),
            '^' | '$' => return Err(ANCHORS.into()),
            c => Node::Class(Class::of(&[(c, c)], false)),
        })
    }

    fn escape(&mut self, in_class: bool) -> Result<Class, String> {
        let Some(c) = self.chars.next() else {
            return Err("pattern ends with `\\`".into());
        };
        let class = |ranges, negated| {
            if negated && in_class {
                Err(format!("`\\{c}` is not supported inside a class"))
            } else {
                Ok(Class::of(ranges, negated))
            }
        };
        match c {
            'd' => class(DIGIT, false),
            'D' => class(DIGIT, true),
            'w' => class(WORD, false),
            'W' => class(WORD, true),
            's' => class(SPACE, false),
            'S' => class(SPACE, true),
            'n' => class(&[('\n', '\n')], false),
            't' => class(&[('\t', '\t')], false),
            c if c.is_ascii_punctuation() || c == ' ' => Ok(Class::of(&[(c, c)], false)),
            c => Err(format!("unsupported escape `\\{c}`")),
        }
    }

    fn class(&mut self) -> Result<Class, String> {
        let negated = self.chars.peek() == Some(&'^');
        if negated {
            self.chars.next();
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.chars.next() else {
                return Err("unclosed character class".into());
            };
            if c == ']' && !first {
                break;
            }
            first = false;
            let lo = match c {
                '\\' => {
                    let escaped = self.escape(true)?;
                    if escaped.ranges.len() != 1 || escaped.ranges[0].0 != escaped.ranges[0].1 {
                        ranges.extend(escaped.ranges);
                        continue;
                    }
                    escaped.ranges[0].0
                }
                c => c,
            };
            let mut lookahead = self.chars.clone();
            if lookahead.next() == Some('-') && lookahead.peek().is_some_and(|&n| n != ']') {
                self.chars.next();
                let hi = match self.chars.next() {
                    Some('\\') => {
                        let escaped = self.escape(true)?;
                        match escaped.ranges.as_slice() {
                            [(a, b)] if a == b => *a,
                            _ => return Err("a class range must end with a single character".into()),
                        }
                    }
                    Some(hi) => hi,
                    None => return Err("unclosed character class".into()),
                };
                if hi < lo {
                    return Err(format!("invalid class range `{lo}-{hi}`"));
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Ok(Class { ranges, negated })
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.chars.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                self.chars.next();
                let (min, max) = self.counts()?;
                return self.after_quantifier(atom, min, max);
            }
            _ => return Ok(atom),
        };
        self.chars.next();
        self.after_quantifier(atom, min, max)
    }

    fn after_quantifier(&mut self, atom: Node, min: u32, max: Option<u32>) -> Result<Node, String> {
        if matches!(self.chars.peek(), Some('*' | '+' | '?' | '{')) {
            return Err("repeat of a repeat: use a group".into());
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    fn counts(&mut self) -> Result<(u32, Option<u32>), String> {
        let mut text = String::new();
        loop {
            match self.chars.next() {
                Some('}') => break,
                Some(c) if c.is_ascii_digit() || c == ',' => text.push(c),
                _ => return Err("invalid `{n,m}` repetition".into()),
            }
        }
        let number = |s: &str| s.parse::<u32>().ok().filter(|n| *n <= MAX_COUNT);
        let bad = || format!("invalid `{{{text}}}`: counts are 0 to {MAX_COUNT}, the first no more than the second");
        let (min, max) = match text.split_once(',') {
            None => {
                let n = number(&text).ok_or_else(bad)?;
                (n, Some(n))
            }
            Some((lo, "")) => (number(lo).ok_or_else(bad)?, None),
            Some((lo, hi)) => (number(lo).ok_or_else(bad)?, Some(number(hi).ok_or_else(bad)?)),
        };
        if max.is_some_and(|m| m < min) {
            return Err(bad());
        }
        Ok((min, max))
    }
}

fn emit(node: &Node, program: &mut Vec<Inst>) -> Result<(), String> {
    if program.len() > MAX_PROGRAM {
        return Err("pattern is too large".into());
    }
    match node {
        Node::Class(c) => program.push(Inst::Char(c.clone())),
        Node::Concat(items) => {
            for item in items {
                emit(item, program)?;
            }
        }
        Node::Alt(branches) => {
            // split L1, next; L1: a; jmp end; next: split L2, next2; … last branch; end:
            let mut jumps = Vec::new();
            for (i, branch) in branches.iter().enumerate() {
                if i + 1 < branches.len() {
                    let split = program.len();
                    program.push(Inst::Split(split + 1, 0));
                    emit(branch, program)?;
                    jumps.push(program.len());
                    program.push(Inst::Jmp(0));
                    let next = program.len();
                    program[split] = Inst::Split(split + 1, next);
                } else {
                    emit(branch, program)?;
                }
            }
            let end = program.len();
            for j in jumps {
                program[j] = Inst::Jmp(end);
            }
        }
        Node::Repeat { node, min, max } => {
            for _ in 0..*min {
                emit(node, program)?;
            }
            match max {
                None => {
                    let split = program.len();
                    program.push(Inst::Split(split + 1, 0));
                    emit(node, program)?;
                    program.push(Inst::Jmp(split));
                    let end = program.len();
                    program[split] = Inst::Split(split + 1, end);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(program.len());
                        program.push(Inst::Split(0, 0));
                        emit(node, program)?;
                    }
                    let end = program.len();
                    for s in splits {
                        program[s] = Inst::Split(s + 1, end);
                    }
                }
            }
        }
    }
    if program.len() > MAX_PROGRAM {
        return Err("pattern is too large".into());
    }
    Ok(())
}

/// Why an anchor is refused: `^` only starts a pattern and `$` only ends one.
const ANCHORS: &str = "`^` and `$` can only start and end the pattern: answers are matched whole";

/// Something that counts the matcher's work: nothing in the widget, a number in tests.
trait Work {
    fn one(&mut self);
}

impl Work for () {
    fn one(&mut self) {}
}

impl Work for usize {
    fn one(&mut self) {
        *self += 1;
    }
}

impl Pattern {
    /// Compiles a pattern.
    ///
    /// # Errors
    /// A developer-facing description of what is wrong with the pattern.
    pub fn new(source: &str) -> Result<Self, String> {
        let mut parser = Parser {
            chars: source.chars().peekable(),
            depth: 0,
        };
        let ast = parser.alternation()?;
        if parser.chars.next().is_some() {
            return Err("unopened group".into());
        }
        let mut program = Vec::new();
        emit(&ast, &mut program)?;
        program.push(Inst::Match);
        Ok(Self { program })
    }

    /// Whether the whole of `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        self.run(text, &mut ())
    }

    /// Whether the whole of `text` matches, counting on `work` one for each state visited:
    /// at most twice the program's length per character read and once more, whatever the
    /// pattern (a test holds it to that; the widget counts nothing, so it costs nothing).
    fn run(&self, text: &str, work: &mut impl Work) -> bool {
        let n = self.program.len();
        let mut current: Vec<usize> = Vec::with_capacity(n);
        let mut next: Vec<usize> = Vec::with_capacity(n);
        // Generation marks: a state is in this step's list when its mark equals the step.
        let mut marks = vec![usize::MAX; n];
        let mut stack = Vec::new();
        self.add(&mut current, &mut marks, 0, 0, &mut stack, work);
        for (step, c) in text.chars().enumerate() {
            next.clear();
            for &pc in &current {
                work.one();
                if let Inst::Char(class) = &self.program[pc] {
                    if class.matches(c) {
                        self.add(&mut next, &mut marks, pc + 1, step + 1, &mut stack, work);
                    }
                }
            }
            std::mem::swap(&mut current, &mut next);
            if current.is_empty() {
                return false;
            }
        }
        current.iter().any(|&pc| self.program[pc] == Inst::Match)
    }

    /// Adds `pc` and every state reachable from it without reading a character.
    fn add(
        &self,
        list: &mut Vec<usize>,
        marks: &mut [usize],
        pc: usize,
        step: usize,
        stack: &mut Vec<usize>,
        work: &mut impl Work,
    ) {
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if marks[pc] == step {
                continue;
            }
            marks[pc] = step;
            work.one();
            match self.program[pc] {
                Inst::Jmp(to) => stack.push(to),
                Inst::Split(a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Inst::Char(_) | Inst::Match => list.push(pc),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        Pattern::new(p).unwrap().is_match(t)
    }

    #[test]
    fn postcodes_and_references() {
        let district = "[A-Za-z]{1,2}[0-9][A-Za-z0-9]?";
        assert!(m(district, "LS6"));
        assert!(m(district, "M14"));
        assert!(m(district, "SW1A"));
        assert!(!m(district, "LS6 1AB"));
        assert!(!m(district, "6LS"));
        assert!(m(r"[A-Z]{2}\d{6}[A-D]", "QQ123456C"));
        assert!(m(r"(?:NHS|nhs)-\d{3}(-\d{3})*", "NHS-123-456-789"));
        assert!(!m(r"(?:NHS|nhs)-\d{3}(-\d{3})*", "NHS-123-45"));
    }

    #[test]
    fn whole_match_only() {
        assert!(!m("abc", "abcd"));
        assert!(!m("abc", "xabc"));
        assert!(m("a|ab", "ab"));
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("a*", ""));
        assert!(m("(a|)+", "aaa"));
        assert!(m(".+", "héllo wörld"));
        assert!(!m(".", "\n"));
    }

    #[test]
    fn classes() {
        assert!(m("[]a]+", "]a]"));
        assert!(m("[a-]+", "a-a"));
        assert!(m(r"[\d\s]+", "1 2"));
        assert!(m("[^0-9]+", "abc"));
        assert!(!m("[^0-9]+", "ab1"));
        assert!(m(r"[\]\\]+", r"]\"));
        assert!(m(r"\W\S", "!a"));
    }

    #[test]
    fn bad_patterns_say_why() {
        for bad in [
            "(", ")", "[a", "a{2,1}", "a{101}", "*a", "a**", r"\", r"\q", "a^b", "a$b", "[z-a]", "(?i)a", r"[\D]",
        ] {
            assert!(Pattern::new(bad).is_err(), "{bad} should fail");
        }
        let deep = format!("{}a{}", "(".repeat(17), ")".repeat(17));
        assert!(Pattern::new(&deep).is_err());
        assert!(Pattern::new("(a{100}){100}").unwrap_err().contains("too large"));
    }

    /// Issue #22: `^` and `$` where they change nothing are taken (they refused the whole
    /// survey), and refused, with the reason, anywhere else.
    #[test]
    fn anchors_that_change_nothing_are_taken() {
        assert!(m("^LS[0-9]$", "LS6") && !m("^LS[0-9]$", "LS66"));
        assert!(m("^a$|^b$", "b") && m("^a|b$", "a") && !m("^a|b$", "ab"));
        assert!(
            m("[$^]", "$") && m(r"\$\d+", "$12"),
            "in a class or escaped they are characters"
        );
        for bad in ["a^b", "(^a)", "a$b", "(a$)", "a$$"] {
            let problem = Pattern::new(bad).unwrap_err();
            assert!(problem.contains("answers are matched whole"), "{bad}: {problem}");
        }
    }

    /// Linear in the answer, with a bound that is asserted, not assumed (issue #22: this test
    /// checked only the result): the classic catastrophic-backtracking shapes visit at most
    /// twice the program's states per character.
    #[test]
    fn long_inputs_stay_linear() {
        for (source, text) in [
            ("(a*)*b", "a".repeat(10_000)),
            ("(a|aa)*c", "a".repeat(10_000)),
            ("^(a+)+$", format!("{}!", "a".repeat(5_000))),
            ("([a-z]*[a-z]*)*[0-9]", "abc".repeat(3_000)),
        ] {
            let p = Pattern::new(source).unwrap();
            let mut work = 0usize;
            assert!(!p.run(&text, &mut work), "{source}");
            let bound = 2 * p.program.len() * (text.chars().count() + 1);
            assert!(work <= bound, "{source}: {work} states visited, over {bound}");
            assert!(work >= text.len(), "{source}: the count is real ({work})");
        }
    }
}
