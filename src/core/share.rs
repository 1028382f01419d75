//! The sharing stage: the whole state as one versioned project file
//! ([`project`]), a share link's recipe that rebuilds it ([`recipe`]), and
//! the embedding protocol ([`embed`]).

pub mod embed;
pub mod project;
pub mod recipe;
