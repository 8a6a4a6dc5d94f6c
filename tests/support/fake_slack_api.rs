//! A fake of Slack's Web API method `usergroups.users.update`: checks the
//! bearer token, records each call, and answers from a script (ok,
//! `ok: false` with an error code, 429 with Retry-After).

use super::http::{Answer, Request, serve};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// The bot token the fake accepts (what must never be printed).
pub const BOT_TOKEN: &str = "xoxb-0000FAKE-s3cr3tB0tT0k3nXYZ";

#[derive(Debug, Clone)]
pub enum ApiReply {
    Ok,
    /// `{"ok": false, "error": code}` with HTTP 200, as Slack answers.
    Error(&'static str),
    /// HTTP 429 with `Retry-After` seconds.
    RateLimited(u64),
}

#[derive(Default)]
struct State {
    script: VecDeque<ApiReply>,
    calls: Vec<serde_json::Value>,
    /// When each call arrived.
    arrived: Vec<std::time::Instant>,
}

pub struct FakeSlackApi {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl FakeSlackApi {
    pub fn start() -> FakeSlackApi {
        let state = Arc::new(Mutex::new(State::default()));
        let s = state.clone();
        let url = serve(Arc::new(move |req: &Request| {
            let mut st = s.lock().unwrap();
            if req.method != "POST" || req.path != "/usergroups.users.update" {
                return Answer::new(404, "{\"ok\":false,\"error\":\"unknown_method\"}");
            }
            let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
            st.calls.push(body);
            st.arrived.push(std::time::Instant::now());
            if req.header("authorization") != Some(&format!("Bearer {BOT_TOKEN}")) {
                return Answer::new(200, "{\"ok\":false,\"error\":\"invalid_auth\"}");
            }
            match st.script.pop_front().unwrap_or(ApiReply::Ok) {
                ApiReply::Ok => {
                    Answer::new(200, "{\"ok\":true,\"usergroup\":{\"id\":\"S0FAKEGROUP1\"}}")
                }
                ApiReply::Error(code) => {
                    Answer::new(200, format!("{{\"ok\":false,\"error\":\"{code}\"}}"))
                }
                ApiReply::RateLimited(secs) => {
                    Answer::new(429, "{\"ok\":false,\"error\":\"ratelimited\"}")
                        .header("Retry-After", &secs.to_string())
                }
            }
        }));
        FakeSlackApi { url, state }
    }
    pub fn script(&self, replies: impl IntoIterator<Item = ApiReply>) {
        self.state.lock().unwrap().script.extend(replies);
    }
    /// The time between the arrivals of calls `a` and `b` (0-based), as the
    /// fake saw them.
    pub fn gap(&self, a: usize, b: usize) -> std::time::Duration {
        let st = self.state.lock().unwrap();
        st.arrived[b].duration_since(st.arrived[a])
    }
    /// The bodies of the calls made, in order.
    pub fn calls(&self) -> Vec<serde_json::Value> {
        self.state.lock().unwrap().calls.clone()
    }
}
