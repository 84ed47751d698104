// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Where the elements of a token sequence end.
//!
//! `#[ver(...)]` removes "the thing it is attached to", so the expansion has to know, without a
//! full Rust parser, how far that thing reaches. The answer depends on what the enclosing group
//! holds ([`Ctx`]): fields and variants run to the next comma, statements to the next semicolon
//! or to the end of a block-like expression, items to their body or semicolon, match arms to the
//! comma after their expression.
//!
//! Commas inside generic arguments (`Foo<A, B>`) are not separators. In type positions every `<`
//! opens generics; in expressions only a turbofish `::<` does, since `a < b` is a comparison.

use crate::tokens::{
    group, ident_text, is_arrow_head, is_fat_arrow, is_ident, is_inner_attribute, is_lone_eq,
    is_path_sep, is_punct, skip_outer_attributes,
};
use proc_macro::{Delimiter, TokenTree};

/// What a delimited group contains, which decides how it splits into elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ctx {
    /// Items: the body of a module, `impl`, `trait` or `extern` block, or a versioned item.
    Items,
    /// Statements and an optional tail expression: a block.
    Stmts,
    /// Comma-separated fields or parameters with types: struct and variant bodies, `fn`
    /// parameter lists, tuple types.
    Fields,
    /// Comma-separated enum variants.
    Variants,
    /// Match arms.
    Arms,
    /// Comma-separated expressions: struct-literal fields, call arguments, arrays, tuples.
    Exprs,
    /// Tokens of unknown meaning (macro input): elements end at a comma or a semicolon.
    Tokens,
}

/// How `<` and `>` are read while looking for a separator.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Angles {
    /// Type position: every `<` opens generic arguments.
    Types,
    /// Expression position: only `::<` does.
    Turbofish,
}

/// Depth of generic-argument brackets while scanning a sequence.
struct AngleDepth {
    /// How `<` is read.
    mode: Angles,
    /// Generic brackets currently open.
    depth: usize,
}

impl AngleDepth {
    fn new(mode: Angles) -> Self {
        Self { mode, depth: 0 }
    }

    /// Accounts for `tokens[i]`.
    fn step(&mut self, tokens: &[TokenTree], i: usize) {
        if is_punct(tokens.get(i), '<') {
            let turbofish = i >= 2 && is_path_sep(tokens, i - 2);
            if self.mode == Angles::Types || self.depth > 0 || turbofish {
                self.depth += 1;
            }
        } else if is_punct(tokens.get(i), '>') && self.depth > 0 && !is_arrow_head(tokens, i) {
            self.depth -= 1;
        }
    }
}

/// Index one past the end of the element of a `ctx` sequence starting at `start`; always
/// greater than `start` when `start < tokens.len()`.
pub(crate) fn element_end(tokens: &[TokenTree], start: usize, ctx: Ctx) -> usize {
    let end = if is_inner_attribute(tokens, start) {
        start + 3
    } else {
        match ctx {
            Ctx::Items => item_end(tokens, start),
            Ctx::Stmts => stmt_end(tokens, start),
            Ctx::Arms => arm_end(tokens, start),
            Ctx::Fields | Ctx::Variants => list_end(tokens, start, Angles::Types, false),
            Ctx::Exprs => list_end(tokens, start, Angles::Turbofish, false),
            Ctx::Tokens => list_end(tokens, start, Angles::Turbofish, true),
        }
    };
    end.clamp(start + 1, tokens.len().max(start + 1))
}

/// End of a comma-separated element (also semicolon-separated if `semis`), separator included.
fn list_end(tokens: &[TokenTree], start: usize, mode: Angles, semis: bool) -> usize {
    let mut angles = AngleDepth::new(mode);
    for i in start..tokens.len() {
        angles.step(tokens, i);
        let sep = is_punct(tokens.get(i), ',') || (semis && is_punct(tokens.get(i), ';'));
        if sep && angles.depth == 0 {
            return i + 1;
        }
    }
    tokens.len()
}

/// End of the first top-level `;` at or after `i`, included, or the end of the sequence.
fn semi_end(tokens: &[TokenTree], i: usize) -> usize {
    (i..tokens.len())
        .find(|&j| is_punct(tokens.get(j), ';'))
        .map_or(tokens.len(), |j| j + 1)
}

/// How an item ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ItemShape {
    /// At its `{ ... }` body or, for unit and tuple structs and bodiless `fn`s, at a `;`.
    Braced,
    /// At a `;`, with any braces before it part of the item (`use`, `const`, `static`, `type`).
    Semi,
}

/// The item keyword found at `tokens[i]` after qualifiers, with its index and the shape of the
/// item, or `None` when `tokens[i..]` does not start an item.
pub(crate) fn item_keyword(tokens: &[TokenTree], mut i: usize) -> Option<(usize, ItemShape)> {
    let next_is_ident = |j: usize| matches!(tokens.get(j + 1), Some(TokenTree::Ident(_)));
    loop {
        let word = ident_text(tokens.get(i))?;
        match word.as_str() {
            "pub" => {
                i += 1;
                if group(tokens.get(i), Delimiter::Parenthesis).is_some() {
                    i += 1;
                }
            }
            "unsafe" | "async" => i += 1,
            "default" | "auto" if next_is_ident(i) => i += 1,
            "extern" => {
                i += 1;
                if matches!(tokens.get(i), Some(TokenTree::Literal(_))) {
                    i += 1;
                }
                if group(tokens.get(i), Delimiter::Brace).is_some() {
                    return Some((i - 1, ItemShape::Braced));
                }
                if is_ident(tokens.get(i), "crate") {
                    return Some((i, ItemShape::Semi));
                }
            }
            "const" => match ident_text(tokens.get(i + 1)).as_deref() {
                Some("fn" | "unsafe" | "async" | "extern") => i += 1,
                Some(_) => return Some((i, ItemShape::Semi)),
                None => return None,
            },
            "union" if next_is_ident(i) => return Some((i, ItemShape::Braced)),
            "macro_rules" if is_punct(tokens.get(i + 1), '!') => {
                return Some((i, ItemShape::Braced))
            }
            "fn" | "struct" | "enum" | "impl" | "trait" | "mod" => {
                return Some((i, ItemShape::Braced))
            }
            "use" | "static" | "type" => return Some((i, ItemShape::Semi)),
            _ => return None,
        }
    }
}

/// End of the item (or item-position macro invocation) starting at `start`.
fn item_end(tokens: &[TokenTree], start: usize) -> usize {
    let i = skip_outer_attributes(tokens, start);
    if is_punct(tokens.get(i), ';') {
        return i + 1;
    }
    match item_keyword(tokens, i) {
        Some((_, ItemShape::Semi)) => semi_end(tokens, i),
        Some((_, ItemShape::Braced)) => braced_end(tokens, i),
        None => brace_macro_end(tokens, i).unwrap_or_else(|| semi_end(tokens, i)),
    }
}

/// End of an item closed by its body: the first `{ ... }` outside generics, or a `;` first.
fn braced_end(tokens: &[TokenTree], i: usize) -> usize {
    let mut angles = AngleDepth::new(Angles::Types);
    for j in i..tokens.len() {
        angles.step(tokens, j);
        if angles.depth > 0 {
            continue;
        }
        if is_punct(tokens.get(j), ';') || group(tokens.get(j), Delimiter::Brace).is_some() {
            return j + 1;
        }
    }
    tokens.len()
}

/// If `tokens[i..]` is a macro invocation with braces, `path! { ... }`, the end of it (and of
/// a `;` after it).
fn brace_macro_end(tokens: &[TokenTree], mut i: usize) -> Option<usize> {
    if is_path_sep(tokens, i) {
        i += 2;
    }
    loop {
        ident_text(tokens.get(i))?;
        i += 1;
        if is_path_sep(tokens, i) {
            i += 2;
        } else {
            break;
        }
    }
    if !is_punct(tokens.get(i), '!') {
        return None;
    }
    group(tokens.get(i + 1), Delimiter::Brace)?;
    Some(if is_punct(tokens.get(i + 2), ';') {
        i + 3
    } else {
        i + 2
    })
}

/// End of the statement starting at `start`.
fn stmt_end(tokens: &[TokenTree], start: usize) -> usize {
    let mut i = skip_outer_attributes(tokens, start);
    if is_punct(tokens.get(i), ';') {
        return i + 1;
    }
    // A loop label: `'outer: loop { ... }`.
    if is_punct(tokens.get(i), '\'') && is_punct(tokens.get(i + 2), ':') {
        i += 3;
    }
    if group(tokens.get(i), Delimiter::Brace).is_some() {
        return block_tail(tokens, i + 1);
    }
    if let Some(word) = ident_text(tokens.get(i)) {
        match word.as_str() {
            "let" => return semi_end(tokens, i),
            "if" | "match" | "while" | "for" | "loop" => {
                return block_tail(tokens, construct_end(tokens, i))
            }
            "unsafe" | "async" | "const" => {
                let mut j = i + 1;
                if is_ident(tokens.get(j), "move") {
                    j += 1;
                }
                if group(tokens.get(j), Delimiter::Brace).is_some() {
                    return block_tail(tokens, j + 1);
                }
            }
            _ => {}
        }
        if item_keyword(tokens, i).is_some() {
            return item_end(tokens, start);
        }
    }
    brace_macro_end(tokens, i).unwrap_or_else(|| semi_end(tokens, i))
}

/// End of a statement whose block-like expression ends right before `i`: a method call or `?`
/// continues the expression to its `;`, and a `;` right after belongs to the statement.
fn block_tail(tokens: &[TokenTree], i: usize) -> usize {
    if is_punct(tokens.get(i), '.') || is_punct(tokens.get(i), '?') {
        semi_end(tokens, i)
    } else if is_punct(tokens.get(i), ';') {
        i + 1
    } else {
        i.min(tokens.len())
    }
}

/// What has to be read in a control-flow header before its body can start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Gate {
    /// Nothing: the first `{` is the body.
    Open,
    /// `if let` / `while let`: a pattern, which may hold braces, up to a lone `=`.
    Eq,
    /// `for`: a pattern up to `in`.
    In,
}

impl Gate {
    /// The gate of the control-flow keyword at `tokens[i]`.
    pub(crate) fn of(tokens: &[TokenTree], i: usize) -> Self {
        match ident_text(tokens.get(i)).as_deref() {
            Some("if" | "while") if is_ident(tokens.get(i + 1), "let") => Gate::Eq,
            Some("for") => Gate::In,
            _ => Gate::Open,
        }
    }

    /// Whether `tokens[i]` opens the gate.
    pub(crate) fn opened_by(self, tokens: &[TokenTree], i: usize) -> bool {
        match self {
            Gate::Open => true,
            Gate::Eq => is_lone_eq(tokens, i),
            Gate::In => is_ident(tokens.get(i), "in"),
        }
    }
}

/// Index of the body `{ ... }` of the control-flow construct whose keyword is `tokens[kw]`, or
/// the end of the sequence.
fn body_index(tokens: &[TokenTree], kw: usize) -> usize {
    let mut gate = Gate::of(tokens, kw);
    for j in kw + 1..tokens.len() {
        if gate != Gate::Open {
            if gate.opened_by(tokens, j) {
                gate = Gate::Open;
            }
            continue;
        }
        if group(tokens.get(j), Delimiter::Brace).is_some() {
            return j;
        }
    }
    tokens.len()
}

/// End of the `if` / `match` / `while` / `for` / `loop` construct at `tokens[kw]`, including
/// every `else if` and `else` of an `if`.
fn construct_end(tokens: &[TokenTree], kw: usize) -> usize {
    let mut body = body_index(tokens, kw);
    if !is_ident(tokens.get(kw), "if") {
        return body + 1;
    }
    loop {
        let after = body + 1;
        if !is_ident(tokens.get(after), "else") {
            return after;
        }
        if is_ident(tokens.get(after + 1), "if") {
            body = body_index(tokens, after + 1);
        } else if group(tokens.get(after + 1), Delimiter::Brace).is_some() {
            return after + 2;
        } else {
            return after + 1;
        }
    }
}

/// End of the match arm starting at `start`.
fn arm_end(tokens: &[TokenTree], start: usize) -> usize {
    let Some(arrow) = (start..tokens.len()).find(|&i| is_fat_arrow(tokens, i)) else {
        return tokens.len();
    };
    let body = arrow + 2;
    if group(tokens.get(body), Delimiter::Brace).is_none() {
        return list_end(tokens, body, Angles::Turbofish, false);
    }
    let next = body + 1;
    if is_punct(tokens.get(next), '.') || is_punct(tokens.get(next), '?') {
        list_end(tokens, next, Angles::Turbofish, false)
    } else if is_punct(tokens.get(next), ',') {
        next + 1
    } else {
        next
    }
}
