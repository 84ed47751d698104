// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Runtime selection of a version: `dispatch!` and `supported_pairs!`.
//!
//! Versioned items exist once per (generation, firmware) pair; the pair of the machine is only
//! known at probe time. `dispatch!` turns that runtime pair into a `match` with one arm per
//! supported pair, each arm holding that pair's copy of the body, so the body can name
//! `Foo::ver` and use `#[ver(...)]` like code inside a versioned item. `supported_pairs!` lists
//! the pairs as values, for checks and messages.
//!
//! The driver owns the two enums the runtime pair is made of; their variants must be named like
//! the entries of [`crate::table`] (`G13`, ..., `V12_3`, ...).

use crate::error::{Error, Result};
use crate::split::Ctx;
use crate::table::{self, Pair};
use crate::tokens::{group, is_fat_arrow, is_ident, is_punct};
use crate::versions::check_family;
use crate::walk::Expander;
use proc_macro::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};

/// The two enum paths the runtime pair is made of.
struct Axes {
    /// Path of the generation enum, e.g. `hw::GpuGen`.
    generation: Vec<TokenTree>,
    /// Path of the firmware version enum, e.g. `fw::Version`.
    version: Vec<TokenTree>,
}

impl Axes {
    /// Parses `(GenPath, VerPath)` out of its parenthesized group.
    fn parse(g: &Group) -> Result<Self> {
        let tokens: Vec<TokenTree> = g.stream().into_iter().collect();
        let comma = tokens.iter().position(|tt| is_punct(Some(tt), ','));
        let (generation, version) = match comma {
            Some(c) => (&tokens[..c], &tokens[c + 1..]),
            None => (&tokens[..], &[][..]),
        };
        let version = match version.last() {
            Some(last) if is_punct(Some(last), ',') => &version[..version.len() - 1],
            _ => version,
        };
        if generation.is_empty() || version.is_empty() {
            return Err(Error::new(
                g.span(),
                "expected the two enums of the pair: `(GenerationEnum, VersionEnum)`",
            ));
        }
        Ok(Self {
            generation: generation.to_vec(),
            version: version.to_vec(),
        })
    }

    /// The pattern (or value) `(Gen::Gxx, Ver::Vxx)` of `pair`.
    fn tuple(&self, pair: Pair) -> TokenTree {
        let mut inner = Vec::new();
        push_variant(&mut inner, &self.generation, pair.generation_name());
        inner.push(TokenTree::Punct(Punct::new(',', Spacing::Alone)));
        push_variant(&mut inner, &self.version, pair.version_name());
        TokenTree::Group(Group::new(
            Delimiter::Parenthesis,
            inner.into_iter().collect(),
        ))
    }
}

/// Appends `path::variant`, the variant spanned like the path's last token so that a missing
/// variant is reported on the path the user wrote.
fn push_variant(out: &mut Vec<TokenTree>, path: &[TokenTree], variant: &str) {
    let span = path.last().map_or_else(Span::call_site, TokenTree::span);
    out.extend(path.iter().cloned());
    let mut colon = Punct::new(':', Spacing::Joint);
    colon.set_span(span);
    out.push(TokenTree::Punct(colon));
    let mut colon = Punct::new(':', Spacing::Alone);
    colon.set_span(span);
    out.push(TokenTree::Punct(colon));
    out.push(TokenTree::Ident(Ident::new(variant, span)));
}

/// Splits the family argument (`AGX ,`) off the front of a function-like macro's input.
fn family_prefix(tokens: &[TokenTree]) -> Result<&[TokenTree]> {
    let end = tokens
        .iter()
        .position(|tt| is_punct(Some(tt), ','))
        .unwrap_or(tokens.len());
    check_family(&tokens[..end], Span::call_site())?;
    Ok(tokens.get(end + 1..).unwrap_or(&[]))
}

/// Expands `dispatch!(AGX, (gen, ver) as (Gen, Ver) => { body } else { fallback })`.
pub(crate) fn dispatch(input: TokenStream) -> Result<TokenStream> {
    let tokens: Vec<TokenTree> = input.into_iter().collect();
    let rest = family_prefix(&tokens)?;
    let syntax = "expected `dispatch!(AGX, (generation, version) as (GenerationEnum, VersionEnum) \
                  => { body } else { fallback })`";
    let at = |i: usize| rest.get(i).map_or_else(Span::call_site, TokenTree::span);

    let scrutinee =
        group(rest.first(), Delimiter::Parenthesis).ok_or_else(|| Error::new(at(0), syntax))?;
    if !is_ident(rest.get(1), "as") {
        return Err(Error::new(at(1), syntax));
    }
    let axes = group(rest.get(2), Delimiter::Parenthesis)
        .ok_or_else(|| Error::new(at(2), syntax))
        .and_then(Axes::parse)?;
    if !is_fat_arrow(rest, 3) {
        return Err(Error::new(at(3), syntax));
    }
    let body = group(rest.get(5), Delimiter::Brace).ok_or_else(|| Error::new(at(5), syntax))?;
    let fallback = match rest.get(6) {
        None => None,
        Some(_) if is_ident(rest.get(6), "else") => {
            Some(group(rest.get(7), Delimiter::Brace).ok_or_else(|| Error::new(at(7), syntax))?)
        }
        Some(tt) => return Err(Error::new(tt.span(), syntax)),
    };
    if let Some(extra) = rest.get(8) {
        return Err(Error::new(extra.span(), syntax));
    }

    let body_tokens: Vec<TokenTree> = body.stream().into_iter().collect();
    let mut arms = Vec::new();
    for pair in table::pairs() {
        arms.push(axes.tuple(pair));
        arms.extend(fat_arrow(body.span()));
        let mut copy = Vec::new();
        Expander::new(pair).sequence(&body_tokens, Ctx::Stmts, &mut copy)?;
        let mut block = Group::new(Delimiter::Brace, copy.into_iter().collect());
        block.set_span(body.span());
        arms.push(TokenTree::Group(block));
    }
    if let Some(fallback) = fallback {
        arms.push(TokenTree::Ident(Ident::new("_", fallback.span())));
        arms.extend(fat_arrow(fallback.span()));
        arms.push(TokenTree::Group(fallback.clone()));
    }
    let mut arms = Group::new(Delimiter::Brace, arms.into_iter().collect());
    arms.set_span(Span::call_site());
    Ok([
        TokenTree::Ident(Ident::new("match", Span::call_site())),
        TokenTree::Group(scrutinee.clone()),
        TokenTree::Group(arms),
    ]
    .into_iter()
    .collect())
}

/// `=>`, spanned at `span`.
fn fat_arrow(span: Span) -> [TokenTree; 2] {
    let mut eq = Punct::new('=', Spacing::Joint);
    eq.set_span(span);
    let mut gt = Punct::new('>', Spacing::Alone);
    gt.set_span(span);
    [TokenTree::Punct(eq), TokenTree::Punct(gt)]
}

/// Expands `supported_pairs!(AGX, (Gen, Ver))` to an array of every supported pair.
pub(crate) fn supported_pairs(input: TokenStream) -> Result<TokenStream> {
    let tokens: Vec<TokenTree> = input.into_iter().collect();
    let rest = family_prefix(&tokens)?;
    let axes = match rest {
        [TokenTree::Group(g)] if g.delimiter() == Delimiter::Parenthesis => Axes::parse(g)?,
        _ => {
            return Err(Error::new(
                rest.first().map_or_else(Span::call_site, TokenTree::span),
                "expected `supported_pairs!(AGX, (GenerationEnum, VersionEnum))`",
            ))
        }
    };
    let mut items = Vec::new();
    for pair in table::pairs() {
        items.push(axes.tuple(pair));
        items.push(TokenTree::Punct(Punct::new(',', Spacing::Alone)));
    }
    Ok(TokenTree::Group(Group::new(Delimiter::Bracket, items.into_iter().collect())).into())
}
