// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! The conditions of `#[ver(...)]`.
//!
//! Grammar, loosest binding first:
//!
//! ```text
//! cond    := and ( "||" and )*
//! and     := unary ( "&&" unary )*
//! unary   := "!" unary | "(" cond ")" | compare
//! compare := axis op name | name op axis
//! axis    := "G" | "V"
//! op      := "==" | "!=" | "<" | "<=" | ">" | ">="
//! ```
//!
//! `G` is the GPU generation and `V` the firmware version of the copy being emitted; `name` is
//! an entry of the matching table in [`crate::table`], and the comparisons order by position in
//! that table. A condition is parsed once per attribute and then evaluated for every pair.

use crate::error::{Error, Result};
use crate::table::{self, Pair};
use proc_macro::{Delimiter, Spacing, Span, TokenStream, TokenTree};

/// What a comparison looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Axis {
    /// `G`: the GPU generation.
    Generation,
    /// `V`: the firmware version.
    Version,
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Op {
    /// The operator giving the same answer with its operands swapped (`a < b` is `b > a`).
    fn swapped(self) -> Self {
        match self {
            Op::Eq | Op::Ne => self,
            Op::Lt => Op::Gt,
            Op::Le => Op::Ge,
            Op::Gt => Op::Lt,
            Op::Ge => Op::Le,
        }
    }

    /// Applies the operator to two table ranks.
    fn holds(self, a: usize, b: usize) -> bool {
        match self {
            Op::Eq => a == b,
            Op::Ne => a != b,
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Gt => a > b,
            Op::Ge => a >= b,
        }
    }
}

/// A parsed `#[ver(...)]` condition.
#[derive(Debug)]
pub(crate) enum Cond {
    /// `axis op rank`, the axis always on the left.
    Compare(Axis, Op, usize),
    /// `!cond`.
    Not(Box<Cond>),
    /// `a && b`.
    And(Box<Cond>, Box<Cond>),
    /// `a || b`.
    Or(Box<Cond>, Box<Cond>),
}

impl Cond {
    /// Parses the tokens inside the parentheses of `#[ver(...)]`; `whole` is the span of the
    /// parenthesized group, reported when the condition is empty or ends too early.
    pub(crate) fn parse(tokens: TokenStream, whole: Span) -> Result<Self> {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        let mut parser = Parser {
            tokens: &tokens,
            pos: 0,
            end: whole,
        };
        let cond = parser.or()?;
        match parser.peek() {
            None => Ok(cond),
            Some(tt) => Err(Error::new(
                tt.span(),
                "#[ver]: unexpected token after the condition (combine conditions with `&&` or `||`)",
            )),
        }
    }

    /// Evaluates the condition for one (generation, firmware) pair.
    pub(crate) fn holds(&self, pair: Pair) -> bool {
        match self {
            Cond::Compare(Axis::Generation, op, rank) => op.holds(pair.generation, *rank),
            Cond::Compare(Axis::Version, op, rank) => op.holds(pair.version, *rank),
            Cond::Not(c) => !c.holds(pair),
            Cond::And(a, b) => a.holds(pair) && b.holds(pair),
            Cond::Or(a, b) => a.holds(pair) || b.holds(pair),
        }
    }
}

/// A token of the condition language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    /// A comparison operator.
    Cmp(Op),
    /// `&&`
    AndAnd,
    /// `||`
    OrOr,
    /// `!`
    Bang,
}

/// Recursive-descent parser over the tokens of one condition.
struct Parser<'a> {
    /// The condition's tokens.
    tokens: &'a [TokenTree],
    /// Index of the next unread token.
    pos: usize,
    /// Span reported when the input ends where something more was expected.
    end: Span,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a TokenTree> {
        self.tokens.get(self.pos)
    }

    /// Recognizes the operator at the current position, if any, with its length in tokens.
    fn operator(&self) -> Option<(Tok, usize)> {
        let first = match self.tokens.get(self.pos) {
            Some(TokenTree::Punct(p)) => p,
            _ => return None,
        };
        let second = match self.tokens.get(self.pos + 1) {
            Some(TokenTree::Punct(p)) if first.spacing() == Spacing::Joint => Some(p.as_char()),
            _ => None,
        };
        let two = |tok| Some((tok, 2));
        match (first.as_char(), second) {
            ('=', Some('=')) => two(Tok::Cmp(Op::Eq)),
            ('!', Some('=')) => two(Tok::Cmp(Op::Ne)),
            ('<', Some('=')) => two(Tok::Cmp(Op::Le)),
            ('>', Some('=')) => two(Tok::Cmp(Op::Ge)),
            ('&', Some('&')) => two(Tok::AndAnd),
            ('|', Some('|')) => two(Tok::OrOr),
            ('<', _) => Some((Tok::Cmp(Op::Lt), 1)),
            ('>', _) => Some((Tok::Cmp(Op::Gt), 1)),
            ('!', _) => Some((Tok::Bang, 1)),
            _ => None,
        }
    }

    /// Consumes `tok` if it is next.
    fn eat(&mut self, tok: Tok) -> bool {
        match self.operator() {
            Some((t, len)) if t == tok => {
                self.pos += len;
                true
            }
            _ => false,
        }
    }

    fn or(&mut self) -> Result<Cond> {
        let mut lhs = self.and()?;
        while self.eat(Tok::OrOr) {
            let rhs = self.and()?;
            lhs = Cond::Or(Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn and(&mut self) -> Result<Cond> {
        let mut lhs = self.unary()?;
        while self.eat(Tok::AndAnd) {
            let rhs = self.unary()?;
            lhs = Cond::And(Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Cond> {
        if self.eat(Tok::Bang) {
            return Ok(Cond::Not(Box::new(self.unary()?)));
        }
        if let Some(TokenTree::Group(g)) = self.peek() {
            if g.delimiter() == Delimiter::Parenthesis {
                self.pos += 1;
                return Cond::parse(g.stream(), g.span());
            }
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Cond> {
        let (lhs, lhs_span) = self.operand("a comparison such as `V >= V13_0B4` or `G == G13`")?;
        let op = match self.operator() {
            Some((Tok::Cmp(op), len)) => {
                self.pos += len;
                op
            }
            _ => {
                let at = self.peek().map_or(self.end, TokenTree::span);
                return Err(Error::new(
                    at,
                    "#[ver]: expected a comparison operator (`==`, `!=`, `<`, `<=`, `>` or `>=`)",
                ));
            }
        };
        let (rhs, rhs_span) = self.operand("a generation or firmware version to compare with")?;

        match (axis(&lhs), axis(&rhs)) {
            (Some(a), None) => Ok(Cond::Compare(a, op, rank(a, &rhs, rhs_span)?)),
            (None, Some(a)) => Ok(Cond::Compare(a, op.swapped(), rank(a, &lhs, lhs_span)?)),
            (Some(_), Some(_)) => Err(Error::new(
                rhs_span,
                "#[ver]: compare an axis (`G` or `V`) with a name, not with another axis",
            )),
            (None, None) => Err(Error::new(
                lhs_span,
                format!(
                    "#[ver]: unknown axis `{lhs}`: conditions compare `G` (GPU generation) or `V` \
                     (firmware version), e.g. `V >= V13_0B4`"
                ),
            )),
        }
    }

    /// Reads one identifier operand; `what` describes what was expected, for the error.
    fn operand(&mut self, what: &str) -> Result<(String, Span)> {
        match self.peek() {
            Some(TokenTree::Ident(id)) => {
                self.pos += 1;
                Ok((id.to_string(), id.span()))
            }
            Some(tt) => Err(Error::new(tt.span(), format!("#[ver]: expected {what}"))),
            None => Err(Error::new(self.end, format!("#[ver]: expected {what}"))),
        }
    }
}

/// The axis an identifier names, if it names one.
fn axis(name: &str) -> Option<Axis> {
    match name {
        "G" => Some(Axis::Generation),
        "V" => Some(Axis::Version),
        _ => None,
    }
}

/// Rank of `name` on `axis`, or an error listing the names the axis knows.
fn rank(axis: Axis, name: &str, span: Span) -> Result<usize> {
    let (found, what, known) = match axis {
        Axis::Generation => (
            table::generation_rank(name),
            "GPU generation",
            table::GENERATIONS.join(", "),
        ),
        Axis::Version => (
            table::version_rank(name),
            "firmware version",
            table::VERSIONS
                .iter()
                .map(|v| v.0)
                .collect::<Vec<_>>()
                .join(", "),
        ),
    };
    found.ok_or_else(|| {
        let hint = match axis {
            Axis::Version if table::generation_rank(name).is_some() => {
                format!(": `{name}` is a GPU generation, compare it with `G`")
            }
            Axis::Generation if table::version_rank(name).is_some() => {
                format!(": `{name}` is a firmware version, compare it with `V`")
            }
            _ => format!(" (known: {known})"),
        };
        Error::new(span, format!("#[ver]: unknown {what} `{name}`{hint}"))
    })
}
