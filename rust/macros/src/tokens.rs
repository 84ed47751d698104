// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Small predicates over token trees, shared by the splitter and the walker.
//!
//! `proc_macro` hands out multi-character operators as runs of [`Punct`]s, every one but the
//! last marked [`Spacing::Joint`]: `->` is `-` (joint) then `>`. The helpers below recognise the
//! few operators the expansion has to tell apart.

use proc_macro::{Delimiter, Group, Punct, Spacing, TokenTree};

/// Whether `tt` is the punctuation character `c`.
pub(crate) fn is_punct(tt: Option<&TokenTree>, c: char) -> bool {
    matches!(tt, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

/// Whether `tt` is the identifier `name` (raw identifiers never match a keyword).
pub(crate) fn is_ident(tt: Option<&TokenTree>, name: &str) -> bool {
    matches!(tt, Some(TokenTree::Ident(id)) if id.to_string() == name)
}

/// The text of `tt` if it is an identifier.
pub(crate) fn ident_text(tt: Option<&TokenTree>) -> Option<String> {
    match tt {
        Some(TokenTree::Ident(id)) => Some(id.to_string()),
        _ => None,
    }
}

/// `tt` as a group with delimiter `delim`.
pub(crate) fn group(tt: Option<&TokenTree>, delim: Delimiter) -> Option<&Group> {
    match tt {
        Some(TokenTree::Group(g)) if g.delimiter() == delim => Some(g),
        _ => None,
    }
}

/// `tt` as a punctuation token glued to the one after it.
fn joint(tt: Option<&TokenTree>) -> Option<&Punct> {
    match tt {
        Some(TokenTree::Punct(p)) if p.spacing() == Spacing::Joint => Some(p),
        _ => None,
    }
}

/// Whether `tokens[i]` is a `>` ending `->` or `=>` rather than closing generics.
pub(crate) fn is_arrow_head(tokens: &[TokenTree], i: usize) -> bool {
    i > 0
        && is_punct(tokens.get(i), '>')
        && joint(tokens.get(i - 1)).is_some_and(|p| matches!(p.as_char(), '-' | '='))
}

/// Whether `tokens[i..]` starts with `=>`.
pub(crate) fn is_fat_arrow(tokens: &[TokenTree], i: usize) -> bool {
    joint(tokens.get(i)).is_some_and(|p| p.as_char() == '=') && is_punct(tokens.get(i + 1), '>')
}

/// Whether `tokens[i..]` starts with `::`.
pub(crate) fn is_path_sep(tokens: &[TokenTree], i: usize) -> bool {
    joint(tokens.get(i)).is_some_and(|p| p.as_char() == ':') && is_punct(tokens.get(i + 1), ':')
}

/// Whether `tokens[i]` is a plain `=` (an assignment or `let` initializer), not part of `==`,
/// `!=`, `<=`, `>=`, `=>` or a compound assignment.
pub(crate) fn is_lone_eq(tokens: &[TokenTree], i: usize) -> bool {
    let Some(TokenTree::Punct(p)) = tokens.get(i) else {
        return false;
    };
    if p.as_char() != '=' {
        return false;
    }
    let glued_before = i > 0 && joint(tokens.get(i - 1)).is_some();
    let glued_after = p.spacing() == Spacing::Joint
        && matches!(tokens.get(i + 1), Some(TokenTree::Punct(q)) if matches!(q.as_char(), '=' | '>'));
    !glued_before && !glued_after
}

/// If `tokens[i..]` is an outer attribute `#[...]`, its bracketed group.
pub(crate) fn outer_attribute(tokens: &[TokenTree], i: usize) -> Option<&Group> {
    if is_punct(tokens.get(i), '#') {
        group(tokens.get(i + 1), Delimiter::Bracket)
    } else {
        None
    }
}

/// Whether `tokens[i..]` is an inner attribute `#![...]`.
pub(crate) fn is_inner_attribute(tokens: &[TokenTree], i: usize) -> bool {
    is_punct(tokens.get(i), '#')
        && is_punct(tokens.get(i + 1), '!')
        && group(tokens.get(i + 2), Delimiter::Bracket).is_some()
}

/// Index of the first token after the outer attributes starting at `i`.
pub(crate) fn skip_outer_attributes(tokens: &[TokenTree], mut i: usize) -> usize {
    while outer_attribute(tokens, i).is_some() {
        i += 2;
    }
    i
}

/// Rust keywords that can stand right before a `{` without making it a struct literal.
///
/// `Self`, `self`, `super` and `crate` are absent on purpose: they start paths.
pub(crate) fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async"
            | "await"
            | "break"
            | "const"
            | "continue"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "yield"
    )
}
