//! The spec side of the pipeline: text → JSON tree (`load`) → the project's fixes (`overlay`) → the 3.0
//! form (`normalize`), plus a typed, pointer-carrying view of that tree (`view`) for the model to read.

mod load;
pub mod normalize;
pub mod overlay;
mod split;
pub mod view;

pub use load::load;
pub use normalize::{normalize, Normalized, SpecVersion};
pub use overlay::Overlay;
