//! Building the ADK events of one `/run_sse` invocation.

use axum::response::sse::Event;
use serde_json::{json, Value};
use v2a_protocol::{
    AdkEvent, Content, FunctionCall, FunctionResponse, GeneratedMedia, Part, ProgressMeta,
    APP_NAME, EXTRACT_FUNCTION,
};

/// Makes the events of one invocation (shared invocation id, fresh event ids).
#[derive(Debug, Clone)]
pub struct Invocation {
    pub id: String,
}

impl Default for Invocation {
    fn default() -> Self {
        Self::new()
    }
}

fn timestamp() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

impl Invocation {
    pub fn new() -> Self {
        Self {
            id: format!("e-{}", uuid::Uuid::new_v4()),
        }
    }

    fn event(&self) -> AdkEvent {
        AdkEvent {
            id: uuid::Uuid::new_v4().to_string(),
            invocation_id: self.id.clone(),
            author: APP_NAME.to_owned(),
            timestamp: timestamp(),
            ..AdkEvent::default()
        }
    }

    /// A model text event; `last` marks the end of the turn.
    pub fn text(&self, text: impl Into<String>, last: bool) -> AdkEvent {
        AdkEvent {
            content: Some(Content {
                role: Some("model".into()),
                parts: vec![Part::text(text)],
            }),
            turn_complete: last.then_some(true),
            ..self.event()
        }
    }

    /// The final text of a failed turn, with the error fields ADK clients look at.
    pub fn failure(&self, code: &str, reason: &str) -> AdkEvent {
        AdkEvent {
            error_code: Some(code.to_owned()),
            error_message: Some(reason.to_owned()),
            ..self.text(format!("The extraction failed: {reason}"), true)
        }
    }

    pub fn function_call(&self, call_id: &str, args: Value) -> AdkEvent {
        let call = FunctionCall {
            id: Some(call_id.to_owned()),
            name: EXTRACT_FUNCTION.to_owned(),
            args,
        };
        AdkEvent {
            content: Some(Content {
                role: Some("model".into()),
                parts: vec![Part {
                    function_call: Some(call),
                    ..Part::default()
                }],
            }),
            ..self.event()
        }
    }

    pub fn function_response(&self, call_id: &str, media: &GeneratedMedia) -> AdkEvent {
        let response = FunctionResponse {
            id: Some(call_id.to_owned()),
            name: EXTRACT_FUNCTION.to_owned(),
            response: json!({ "generated_media": media }),
        };
        AdkEvent {
            content: Some(Content {
                role: Some("user".into()),
                parts: vec![Part {
                    function_response: Some(response),
                    ..Part::default()
                }],
            }),
            ..self.event()
        }
    }

    /// A content-less partial event carrying progress in `customMetadata`.
    pub fn progress(&self, progress: f64, stage: &str, media_id: &str) -> AdkEvent {
        let meta = ProgressMeta {
            progress,
            stage: stage.to_owned(),
            media_id: Some(media_id.to_owned()),
        };
        AdkEvent {
            partial: Some(true),
            custom_metadata: Some(serde_json::to_value(meta).expect("progress always serializes")),
            ..self.event()
        }
    }
}

/// One SSE `data:` line.
pub fn sse(event: &AdkEvent) -> Event {
    Event::default().data(serde_json::to_string(event).expect("events always serialize"))
}
