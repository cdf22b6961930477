//! [`Fresh`]: a view that is built anew, never diffed, when the reactive closure around it
//! runs again.
//!
//! Tachys (Leptos's renderer) updates the output of a `move || view` closure in place: it
//! compiles a `rebuild` for the whole subtree beside its `build`, which for a screen or a
//! question is tens of kilobytes of wasm. The widget never needs that: a new screen, a
//! question that appears, a new error summary are all built from scratch anyway (focus
//! moves to the new heading, screen readers hear the new alert). `Fresh` makes that
//! explicit and lets the compiler drop the diffing code, the way tachys itself treats a
//! changed branch of an `Either`.
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::html::attribute::Attribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};

/// Wraps a view so that each run of the enclosing reactive closure replaces it.
pub struct Fresh<V>(pub V);

impl<V: Render> Render for Fresh<V> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        let mut new = self.0.build();
        state.insert_before_this(&mut new);
        state.unmount();
        *state = new;
    }
}

impl<V: AddAnyAttr> AddAnyAttr for Fresh<V> {
    type Output<A: Attribute> = Fresh<V::Output<A>>;

    fn add_any_attr<A: Attribute>(self, attr: A) -> Self::Output<A>
    where
        Self::Output<A>: RenderHtml,
    {
        Fresh(self.0.add_any_attr(attr))
    }
}

// Server rendering and hydration are not used by the widget (client-side only); these
// delegate so that `Fresh` fits wherever a view does.
impl<V: RenderHtml> RenderHtml for Fresh<V> {
    type AsyncOutput = V::AsyncOutput;
    type Owned = Fresh<V::Owned>;

    const MIN_LENGTH: usize = V::MIN_LENGTH;

    fn dry_resolve(&mut self) {
        self.0.dry_resolve();
    }

    async fn resolve(self) -> Self::AsyncOutput {
        self.0.resolve().await
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0
            .to_html_with_buf(buf, position, escape, mark_branches, extra_attrs);
    }

    fn hydrate<const FROM_SERVER: bool>(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    fn into_owned(self) -> Self::Owned {
        Fresh(self.0.into_owned())
    }
}
