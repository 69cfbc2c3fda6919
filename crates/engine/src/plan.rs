//! Whether the engine can do a spec for a probed input, and how.
