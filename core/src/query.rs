//! A subset of the ECS cluster query language for `memberOf` constraints ("Create expressions to
//! define container instances"): `attribute:ecs.instance-type`, `attribute:ecs.instance-family` and
//! `attribute:ecs.availability-zone` with `==`, `!=`, `in`, `!in`, `=~`, `!~`, joined by `and` /
//! `or` (`and` binds tighter).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    InstanceType,
    InstanceFamily,
    AvailabilityZone,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    In,
    NotIn,
    Matches,
    NotMatches,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Term {
    subject: Subject,
    op: Op,
    values: Vec<String>,
}

/// Disjunction of conjunctions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expression {
    any_of: Vec<Vec<Term>>,
}

/// Why an expression cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryError {
    Empty,
    UnknownSubject(String),
    /// No operator after the subject (as written).
    NoOperator(String),
    /// `in` / `!in` without a bracketed list (the argument as written).
    NotAList(String),
    NotAValue(String),
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Empty => f.write_str("empty expression"),
            QueryError::UnknownSubject(s) => write!(
                f,
                "unknown subject \"{s}\"; use attribute:ecs.instance-type, attribute:ecs.instance-family or attribute:ecs.availability-zone"
            ),
            QueryError::NoOperator(s) => {
                write!(f, "expected an operator (==, !=, in, !in, =~, !~) after {s}")
            }
            QueryError::NotAList(a) => {
                write!(f, "\"{a}\": a list in [brackets] must follow in / !in")
            }
            QueryError::NotAValue(a) => write!(f, "\"{a}\" is not a value or list of values"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for QueryError {}

/// Validation and the import report take the sentence as their message.
impl From<QueryError> for String {
    fn from(e: QueryError) -> String {
        e.to_string()
    }
}

/// The attributes an instance offers to expressions.
pub struct Attributes<'a> {
    pub instance_type: &'a str,
    pub availability_zone: &'a str,
}

impl Expression {
    pub fn parse(text: &str) -> Result<Expression, QueryError> {
        let mut any_of = Vec::new();
        for alt in split_word(text, "or") {
            let mut all_of = Vec::new();
            for term in split_word(alt, "and") {
                all_of.push(parse_term(term.trim())?);
            }
            any_of.push(all_of);
        }
        Ok(Expression { any_of })
    }

    pub fn matches(&self, a: &Attributes<'_>) -> bool {
        self.any_of
            .iter()
            .any(|all| all.iter().all(|t| t.matches(a)))
    }

    /// Zone names the expression compares against (validated against the scenario's AZs).
    pub fn zone_literals(&self) -> Vec<String> {
        self.any_of
            .iter()
            .flatten()
            .filter(|t| {
                t.subject == Subject::AvailabilityZone
                    && !matches!(t.op, Op::Matches | Op::NotMatches)
            })
            .flat_map(|t| t.values.iter().cloned())
            .collect()
    }

    /// Whether the expression mentions the given subject at all.
    pub fn mentions(&self, subject: Subject) -> bool {
        self.any_of.iter().flatten().any(|t| t.subject == subject)
    }
}

fn split_word<'a>(text: &'a str, word: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut rest = text;
    let pat = format!(" {word} ");
    while let Some(i) = rest.find(pat.as_str()) {
        parts.push(&rest[..i]);
        rest = &rest[i + pat.len()..];
    }
    parts.push(rest);
    parts
}

fn parse_term(text: &str) -> Result<Term, QueryError> {
    let mut it = text.splitn(2, char::is_whitespace);
    let subject_text = it.next().unwrap_or("");
    let rest = it.next().unwrap_or("").trim_start();
    let subject = match subject_text {
        "attribute:ecs.instance-type" => Subject::InstanceType,
        "attribute:ecs.instance-family" => Subject::InstanceFamily,
        "attribute:ecs.availability-zone" => Subject::AvailabilityZone,
        "" => return Err(QueryError::Empty),
        other => return Err(QueryError::UnknownSubject(other.to_string())),
    };
    let (op, arg) = [
        ("!in", Op::NotIn),
        ("in", Op::In),
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("=~", Op::Matches),
        ("!~", Op::NotMatches),
    ]
    .iter()
    .find_map(|(tok, op)| rest.strip_prefix(tok).map(|a| (*op, a.trim())))
    .ok_or_else(|| QueryError::NoOperator(subject_text.to_string()))?;
    let values: Vec<String> = match op {
        Op::In | Op::NotIn => {
            let inner = arg
                .strip_prefix('[')
                .and_then(|a| a.strip_suffix(']'))
                .or_else(|| arg.strip_prefix('(').and_then(|a| a.strip_suffix(')')))
                .ok_or_else(|| QueryError::NotAList(arg.to_string()))?;
            inner
                .split(',')
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect()
        }
        _ => alloc::vec![arg.to_string()],
    };
    if values.is_empty()
        || values
            .iter()
            .any(|v| v.is_empty() || v.contains(char::is_whitespace))
    {
        return Err(QueryError::NotAValue(arg.to_string()));
    }
    Ok(Term {
        subject,
        op,
        values,
    })
}

impl Term {
    fn matches(&self, a: &Attributes<'_>) -> bool {
        let v = match self.subject {
            Subject::InstanceType => a.instance_type,
            Subject::InstanceFamily => a.instance_type.split('.').next().unwrap_or(""),
            Subject::AvailabilityZone => a.availability_zone,
        };
        match self.op {
            Op::Eq => self.values[0] == v,
            Op::Ne => self.values[0] != v,
            Op::In => self.values.iter().any(|x| x == v),
            Op::NotIn => !self.values.iter().any(|x| x == v),
            Op::Matches => wildcard_match(&self.values[0], v),
            Op::NotMatches => !wildcard_match(&self.values[0], v),
        }
    }
}

/// `*` matches any run of characters (EC2's instance-type wildcard).
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && p[pi] != b'*' && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs<'a>(t: &'a str, z: &'a str) -> Attributes<'a> {
        Attributes {
            instance_type: t,
            availability_zone: z,
        }
    }

    #[test]
    fn evaluates_types_families_and_zones() {
        let e = Expression::parse("attribute:ecs.instance-type =~ m6i.*").unwrap();
        assert!(e.matches(&attrs("m6i.large", "a")));
        assert!(!e.matches(&attrs("r6i.large", "a")));
        let e = Expression::parse(
            "attribute:ecs.availability-zone in [use1-az1, use1-az2] and attribute:ecs.instance-family != c6i",
        )
        .unwrap();
        assert!(e.matches(&attrs("m6i.large", "use1-az2")));
        assert!(!e.matches(&attrs("c6i.large", "use1-az2")));
        assert!(!e.matches(&attrs("m6i.large", "use1-az3")));
        assert_eq!(e.zone_literals(), ["use1-az1", "use1-az2"]);
        let e = Expression::parse(
            "attribute:ecs.instance-type == r6i.large or attribute:ecs.instance-type == c6i.large",
        )
        .unwrap();
        assert!(e.matches(&attrs("c6i.large", "x")));
        assert!(!e.matches(&attrs("m6i.large", "x")));
    }

    #[test]
    fn bad_expressions_explain_themselves() {
        let err = |text: &str| Expression::parse(text).unwrap_err();
        assert_eq!(
            err("attribute:ecs.os-type == linux"),
            QueryError::UnknownSubject("attribute:ecs.os-type".into())
        );
        assert!(err("attribute:ecs.os-type == linux")
            .to_string()
            .starts_with(
                "unknown subject \"attribute:ecs.os-type\"; use attribute:ecs.instance-type"
            ));
        assert_eq!(
            err("attribute:ecs.instance-type ~ x").to_string(),
            "expected an operator (==, !=, in, !in, =~, !~) after attribute:ecs.instance-type"
        );
        assert_eq!(
            err("attribute:ecs.instance-type in m6i.large").to_string(),
            "\"m6i.large\": a list in [brackets] must follow in / !in"
        );
        assert_eq!(
            err("attribute:ecs.instance-type in []").to_string(),
            "\"[]\" is not a value or list of values"
        );
        assert_eq!(err(""), QueryError::Empty);
    }
}
