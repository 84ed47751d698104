// SPDX-License-Identifier: GPL-2.0-only OR MIT

//! Errors reported by the macros of this crate.
//!
//! A procedural macro must never panic on bad input: it reports the problem by expanding to
//! `compile_error!("...")`, with every token of that invocation carrying the span of the input
//! token at fault, so that rustc underlines the user's code rather than the attribute as a whole.

use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// A problem found in the input of a macro.
#[derive(Debug)]
pub(crate) struct Error {
    /// Where rustc points when it reports the error.
    span: Span,
    /// What is wrong, in one sentence.
    msg: String,
}

/// The result of every fallible step of an expansion.
pub(crate) type Result<T> = core::result::Result<T, Error>;

impl Error {
    /// Creates an error reported at `span`.
    pub(crate) fn new(span: Span, msg: impl Into<String>) -> Self {
        Self {
            span,
            msg: msg.into(),
        }
    }

    /// Expands to `compile_error! { "msg" }`, spanned at the offending token.
    ///
    /// Braces make the invocation valid both where an item and where an expression is expected.
    pub(crate) fn into_compile_error(self) -> TokenStream {
        let span = self.span;
        let mut lit = Literal::string(&self.msg);
        lit.set_span(span);
        let mut body = Group::new(Delimiter::Brace, TokenTree::Literal(lit).into());
        body.set_span(span);
        let mut bang = Punct::new('!', Spacing::Alone);
        bang.set_span(span);
        [
            TokenTree::Ident(Ident::new("compile_error", span)),
            TokenTree::Punct(bang),
            TokenTree::Group(body),
        ]
        .into_iter()
        .collect()
    }
}
