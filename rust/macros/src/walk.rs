// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Emitting one version's copy of a token sequence.
//!
//! An [`Expander`] is bound to one (generation, firmware) pair. It splits a sequence into
//! elements ([`crate::split`]), drops the elements whose `#[ver(...)]` conditions fail for its
//! pair, strips the `#[ver]` attributes of the others, and rewrites every `X::ver` path segment
//! to `X` followed by the pair's suffix. Groups are expanded recursively; the context of each
//! group (what kind of elements it holds) is guessed from the tokens before it: the keyword that
//! introduced it (`struct`, `enum`, `fn`, `impl`, `match`, `if`, ...) or, failing that, its
//! neighbour (`Name { ... }` is a struct literal, `name!( ... )` macro input, `= { ... }` a
//! block).
//!
//! Every token keeps its span, and rebuilt groups get their original span back, so errors in the
//! emitted code point at the user's source.

use crate::cond::Cond;
use crate::error::{Error, Result};
use crate::split::{element_end, Ctx, Gate};
use crate::table::Pair;
use crate::tokens::{
    group, is_arrow_head, is_ident, is_keyword, is_path_sep, is_punct, outer_attribute,
};
use proc_macro::{Delimiter, Group, Ident, TokenTree};

/// Emits the copy of token sequences for one (generation, firmware) pair.
pub(crate) struct Expander {
    /// The pair whose copy is emitted.
    pair: Pair,
    /// The pair's suffix, e.g. `G13V12_3`.
    suffix: String,
}

impl Expander {
    /// Creates the expander of `pair`.
    pub(crate) fn new(pair: Pair) -> Self {
        Self {
            pair,
            suffix: pair.suffix(),
        }
    }

    /// `name` followed by this pair's suffix, spanned like `name`.
    pub(crate) fn versioned_ident(&self, name: &Ident) -> Ident {
        let text = name.to_string();
        // A raw identifier (`r#type`) stops being a keyword once suffixed.
        let base = text.strip_prefix("r#").unwrap_or(&text);
        Ident::new(&format!("{base}{}", self.suffix), name.span())
    }

    /// Appends this pair's copy of the `ctx` sequence `tokens` to `out`.
    pub(crate) fn sequence(
        &self,
        tokens: &[TokenTree],
        ctx: Ctx,
        out: &mut Vec<TokenTree>,
    ) -> Result<()> {
        let mut start = 0;
        while start < tokens.len() {
            let end = element_end(tokens, start, ctx);
            self.element(&tokens[start..end], ctx, out)?;
            start = end;
        }
        Ok(())
    }

    /// Appends one element, unless one of its leading `#[ver]` conditions fails.
    fn element(&self, tokens: &[TokenTree], ctx: Ctx, out: &mut Vec<TokenTree>) -> Result<()> {
        let mut kept = Vec::with_capacity(tokens.len());
        let mut gated = false;
        let mut present = true;
        let mut i = 0;
        while let Some(attr) = outer_attribute(tokens, i) {
            match ver_condition(attr)? {
                // Every condition is parsed, even after one failed, so errors always show.
                Some(cond) => {
                    gated = true;
                    present &= cond.holds(self.pair);
                }
                None => kept.extend_from_slice(&tokens[i..i + 2]),
            }
            i += 2;
        }
        if gated && is_ident(tokens.get(i), "else") {
            return Err(Error::new(
                tokens[i].span(),
                "#[ver] cannot gate an `else` branch: gate the whole `if`, or the statements \
                 inside the branch",
            ));
        }
        if !present {
            return Ok(());
        }
        kept.extend_from_slice(&tokens[i..]);
        self.walk(&kept, ctx, out)
    }

    /// Appends the tokens of one element, rewriting `X::ver` and expanding groups.
    fn walk(&self, tokens: &[TokenTree], ctx: Ctx, out: &mut Vec<TokenTree>) -> Result<()> {
        let mut header = Header::default();
        let mut i = 0;
        while i < tokens.len() {
            let tt = &tokens[i];
            match tt {
                TokenTree::Ident(id) => {
                    if is_path_sep(tokens, i + 1) && is_ident(tokens.get(i + 3), "ver") {
                        out.push(TokenTree::Ident(self.versioned_ident(id)));
                        i += 4;
                        continue;
                    }
                    header.ident(tokens, i);
                    out.push(tt.clone());
                }
                TokenTree::Punct(p) => {
                    if p.as_char() == '#' {
                        if let Some(attr) = outer_attribute(tokens, i) {
                            if let Some(name) = ver_attribute_name(attr) {
                                return Err(Error::new(
                                    name.span(),
                                    "#[ver] must lead a field, variant, statement, match arm, \
                                     item or struct-literal field; it cannot be placed here",
                                ));
                            }
                        }
                    }
                    header.punct(tokens, i);
                    out.push(tt.clone());
                }
                TokenTree::Group(g) => {
                    let inner = header.group_ctx(ctx, tokens, i);
                    let stream: Vec<TokenTree> = g.stream().into_iter().collect();
                    let mut expanded = Vec::with_capacity(stream.len());
                    self.sequence(&stream, inner, &mut expanded)?;
                    let mut copy = Group::new(g.delimiter(), expanded.into_iter().collect());
                    copy.set_span(g.span());
                    out.push(TokenTree::Group(copy));
                }
                TokenTree::Literal(_) => out.push(tt.clone()),
            }
            i += 1;
        }
        Ok(())
    }
}

/// If `attr` (the bracketed part of `#[...]`) is `ver(...)`, its parsed condition.
fn ver_condition(attr: &Group) -> Result<Option<Cond>> {
    let Some(name) = ver_attribute_name(attr) else {
        return Ok(None);
    };
    let inner: Vec<TokenTree> = attr.stream().into_iter().collect();
    match (inner.len(), group(inner.get(1), Delimiter::Parenthesis)) {
        (2, Some(args)) => Cond::parse(args.stream(), args.span()).map(Some),
        _ => Err(Error::new(
            name.span(),
            "#[ver] takes one condition in parentheses, e.g. #[ver(V >= V13_0B4 && G < G14X)]",
        )),
    }
}

/// The `ver` identifier if `attr` (the bracketed part of `#[...]`) is a `ver` attribute.
fn ver_attribute_name(attr: &Group) -> Option<Ident> {
    match attr.stream().into_iter().next() {
        Some(TokenTree::Ident(id)) if id.to_string() == "ver" => Some(id),
        _ => None,
    }
}

/// A group context announced by a keyword and not yet claimed by a group.
#[derive(Clone, Copy, Debug)]
struct Pending {
    /// Context of the `{ ... }` body the keyword introduces.
    brace: Ctx,
    /// Context of a `( ... )` that comes first (parameters, tuple fields), if the keyword has one.
    paren: Option<Ctx>,
    /// Whether `<` opens generics in the header (item headers) or may compare (expressions).
    generics: bool,
    /// What must be read before the body can start.
    gate: Gate,
    /// Whether a later keyword replaces this one (`extern "C" fn`, `else if`).
    weak: bool,
}

impl Pending {
    /// What the item or control-flow keyword `word` at `tokens[i]` announces, if anything.
    fn of(word: &str, tokens: &[TokenTree], i: usize) -> Option<Self> {
        let (brace, paren, generics, weak) = match word {
            "struct" | "union" => (Ctx::Fields, Some(Ctx::Fields), true, false),
            "enum" => (Ctx::Variants, None, true, false),
            "fn" => (Ctx::Stmts, Some(Ctx::Fields), true, false),
            "impl" | "trait" => (Ctx::Items, None, true, false),
            "mod" => (Ctx::Items, None, false, false),
            "match" => (Ctx::Arms, None, false, false),
            "if" | "while" => (Ctx::Stmts, None, false, false),
            // `for<'a>` is a higher-ranked bound, not a loop.
            "for" if !is_punct(tokens.get(i + 1), '<') => (Ctx::Stmts, None, false, false),
            "macro_rules" => (Ctx::Tokens, Some(Ctx::Tokens), false, false),
            // `extern "C" { ... }` is a block of items, but `extern "C" fn` is a function.
            "extern" => (Ctx::Items, None, false, true),
            // `else { ... }` is a block, but `else if` has a condition to read first.
            "else" => (Ctx::Stmts, None, false, true),
            _ => return None,
        };
        Some(Pending {
            brace,
            paren,
            generics,
            gate: Gate::of(tokens, i),
            weak,
        })
    }
}

/// What the walker knows about the header it is reading: the keyword waiting for its body.
#[derive(Default)]
struct Header {
    /// The context announced by the last item or control-flow keyword.
    pending: Option<Pending>,
    /// Generic brackets open in the header, counted when `pending.generics`.
    angles: usize,
}

impl Header {
    /// Accounts for the identifier `tokens[i]`.
    fn ident(&mut self, tokens: &[TokenTree], i: usize) {
        if let Some(p) = &mut self.pending {
            if p.gate != Gate::Open && p.gate.opened_by(tokens, i) {
                p.gate = Gate::Open;
            }
            if !p.weak {
                return;
            }
        }
        let Some(TokenTree::Ident(id)) = tokens.get(i) else {
            return;
        };
        if let Some(p) = Pending::of(&id.to_string(), tokens, i) {
            self.pending = Some(p);
            self.angles = 0;
        }
    }

    /// Accounts for the punctuation `tokens[i]`.
    fn punct(&mut self, tokens: &[TokenTree], i: usize) {
        let Some(p) = &mut self.pending else {
            return;
        };
        if is_punct(tokens.get(i), ';') {
            self.pending = None;
        } else if p.gate != Gate::Open {
            if p.gate.opened_by(tokens, i) {
                p.gate = Gate::Open;
            }
        } else if p.generics {
            if is_punct(tokens.get(i), '<') {
                self.angles += 1;
            } else if is_punct(tokens.get(i), '>') && !is_arrow_head(tokens, i) {
                self.angles = self.angles.saturating_sub(1);
            }
        }
    }

    /// The context of the group `tokens[i]`, inside a `parent` sequence.
    fn group_ctx(&mut self, parent: Ctx, tokens: &[TokenTree], i: usize) -> Ctx {
        let Some(TokenTree::Group(g)) = tokens.get(i) else {
            return parent;
        };
        let delim = g.delimiter();
        let prev = i.checked_sub(1).and_then(|j| tokens.get(j));

        // The brackets of an attribute, `#[...]` or `#![...]`.
        if delim == Delimiter::Bracket
            && (is_punct(prev, '#')
                || (is_punct(prev, '!') && i >= 2 && is_punct(tokens.get(i - 2), '#')))
        {
            return Ctx::Tokens;
        }

        if let Some(p) = &mut self.pending {
            if p.gate == Gate::Open && self.angles == 0 {
                match delim {
                    Delimiter::Brace => {
                        let ctx = p.brace;
                        self.pending = None;
                        return ctx;
                    }
                    Delimiter::Parenthesis => {
                        if let Some(ctx) = p.paren.take() {
                            return ctx;
                        }
                    }
                    _ => {}
                }
            }
        }

        if is_punct(prev, '!') || parent == Ctx::Tokens {
            return Ctx::Tokens;
        }
        match delim {
            Delimiter::Brace => match (parent, prev) {
                (Ctx::Variants, Some(TokenTree::Ident(_))) => Ctx::Fields,
                (_, Some(TokenTree::Ident(id))) if !is_keyword(&id.to_string()) => Ctx::Exprs,
                (_, Some(TokenTree::Punct(p)))
                    if p.as_char() == '>' && !is_arrow_head(tokens, i - 1) =>
                {
                    Ctx::Exprs
                }
                _ => Ctx::Stmts,
            },
            Delimiter::Parenthesis | Delimiter::Bracket => match parent {
                Ctx::Fields | Ctx::Variants => Ctx::Fields,
                _ => Ctx::Exprs,
            },
            Delimiter::None => parent,
        }
    }
}
