//! A plan run step by step: each step reads and writes a bounded amount, then reports progress,
//! so the caller can show it and cancel between steps.
