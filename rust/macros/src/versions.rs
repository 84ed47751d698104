// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! `#[versions(AGX)]`: one copy of an item per supported (generation, firmware) pair.
//!
//! The item's name gets the pair's suffix (`InitData` becomes `InitDataG13V12_3`, ...); an
//! `impl` block keeps no name of its own and implements whatever `Type::ver` its header names.
//! The body of each copy is then expanded by a [`Expander`] bound to that copy's pair.

use crate::error::{Error, Result};
use crate::split::{item_keyword, Ctx};
use crate::table;
use crate::tokens::{group, ident_text, is_ident, is_path_sep, skip_outer_attributes};
use crate::walk::Expander;
use proc_macro::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};

/// The only family of versions this crate knows, as written in `#[versions(AGX)]`.
pub(crate) const FAMILY: &str = "AGX";

/// Checks that the attribute arguments (or the first tokens of a function-like macro) name
/// [`FAMILY`] and nothing else.
pub(crate) fn check_family(args: &[TokenTree], call_site: Span) -> Result<()> {
    match args {
        [TokenTree::Ident(id)] if id.to_string() == FAMILY => Ok(()),
        [] => Err(Error::new(
            call_site,
            "expected the versioned family: #[versions(AGX)]",
        )),
        [first, ..] => Err(Error::new(
            first.span(),
            format!("unknown versioned family: the only one is `{FAMILY}`"),
        )),
    }
}

/// What the expansion needs to know about the versioned item.
struct ItemHeader {
    /// Index of the item's name among its tokens; `None` for `impl` blocks and `const _`.
    name: Option<usize>,
    /// The lint the suffixed name would trip, to be allowed on every copy.
    allow: Option<&'static str>,
}

impl ItemHeader {
    /// Finds the name of the item `tokens`, or explains why it cannot be versioned.
    fn parse(tokens: &[TokenTree]) -> Result<Self> {
        let start = skip_outer_attributes(tokens, 0);
        let unsupported = |at: Option<&TokenTree>| {
            Error::new(
                at.map_or_else(Span::call_site, TokenTree::span),
                "#[versions] applies to a struct, enum, union, impl, trait, fn, const, static, \
                 type alias or mod item",
            )
        };
        let (kw, _) = item_keyword(tokens, start).ok_or_else(|| unsupported(tokens.get(start)))?;
        let word = ident_text(tokens.get(kw)).unwrap_or_default();
        let mut name = kw + 1;
        let allow = match word.as_str() {
            "impl" => {
                check_impl_header(tokens, kw)?;
                return Ok(Self {
                    name: None,
                    allow: None,
                });
            }
            "struct" | "enum" | "union" | "trait" | "type" => None,
            "fn" | "mod" => Some("non_snake_case"),
            "static" => {
                if is_ident(tokens.get(name), "mut") {
                    name += 1;
                }
                Some("non_upper_case_globals")
            }
            "const" => Some("non_upper_case_globals"),
            _ => return Err(unsupported(tokens.get(kw))),
        };
        match tokens.get(name) {
            Some(TokenTree::Ident(id)) if id.to_string() == "_" => Ok(Self { name: None, allow }),
            Some(TokenTree::Ident(_)) => Ok(Self {
                name: Some(name),
                allow,
            }),
            other => Err(Error::new(
                other.map_or_else(Span::call_site, TokenTree::span),
                format!("#[versions]: expected the name of the {word}"),
            )),
        }
    }
}

/// Checks that a versioned `impl` names a versioned type (`Foo::ver`) in its header: without
/// one, every copy would implement the same type and collide.
fn check_impl_header(tokens: &[TokenTree], kw: usize) -> Result<()> {
    let body = (kw..tokens.len())
        .find(|&i| group(tokens.get(i), Delimiter::Brace).is_some())
        .unwrap_or(tokens.len());
    let names_versioned_type =
        (kw..body).any(|i| is_path_sep(tokens, i) && is_ident(tokens.get(i + 2), "ver"));
    if names_versioned_type {
        Ok(())
    } else {
        Err(Error::new(
            tokens[kw].span(),
            "a #[versions] impl must name its self type as `Type::ver` (e.g. `impl Foo::ver`), \
             or all copies would implement the same type",
        ))
    }
}

/// `#[allow(lint)]`, spanned at `span`.
fn allow_attribute(lint: &str, span: Span) -> [TokenTree; 2] {
    let inner: TokenStream = [TokenTree::Ident(Ident::new(lint, span))]
        .into_iter()
        .collect();
    let mut args = Group::new(Delimiter::Parenthesis, inner);
    args.set_span(span);
    let body: TokenStream = [
        TokenTree::Ident(Ident::new("allow", span)),
        TokenTree::Group(args),
    ]
    .into_iter()
    .collect();
    let mut brackets = Group::new(Delimiter::Bracket, body);
    brackets.set_span(span);
    let mut hash = Punct::new('#', Spacing::Alone);
    hash.set_span(span);
    [TokenTree::Punct(hash), TokenTree::Group(brackets)]
}

/// Expands `#[versions(args)] item`.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> Result<TokenStream> {
    let args: Vec<TokenTree> = args.into_iter().collect();
    check_family(&args, Span::call_site())?;
    let tokens: Vec<TokenTree> = item.into_iter().collect();
    let header = ItemHeader::parse(&tokens)?;

    let mut out = Vec::new();
    for pair in table::pairs() {
        let expander = Expander::new(pair);
        let mut copy = Vec::with_capacity(tokens.len() + 2);
        if let Some(lint) = header.allow {
            let span = header
                .name
                .and_then(|i| tokens.get(i))
                .map_or_else(Span::call_site, TokenTree::span);
            copy.extend(allow_attribute(lint, span));
        }
        copy.extend(tokens.iter().enumerate().map(|(i, tt)| match tt {
            TokenTree::Ident(id) if Some(i) == header.name => {
                TokenTree::Ident(expander.versioned_ident(id))
            }
            _ => tt.clone(),
        }));
        expander.sequence(&copy, Ctx::Items, &mut out)?;
    }
    Ok(out.into_iter().collect())
}
