//! A fake Slack incoming webhook: records the payloads it accepts and
//! answers from a script (Slack's error codes, 429 with Retry-After, 5xx, a
//! slow answer, a dropped connection), then `ok`.

use super::http::{Answer, Request, serve};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The webhook's secret path (what must never be printed).
pub const SECRET_PATH: &str = "/services/T0FAKETEAM/B0FAKEHOOK/s3cr3tW3bh00kT0k3nXYZ";

#[derive(Debug, Clone)]
pub enum Reply {
    Ok,
    /// Slack's error: status and code, e.g. (404, "channel_not_found").
    Error(u16, &'static str),
    /// 429 with `Retry-After` seconds.
    RateLimited(u64),
    /// A server error with Slack's body.
    ServerError(u16),
    /// Accepts the post but answers after this long.
    Slow(Duration),
    /// Closes the connection without answering.
    Drop,
    /// Accepts the post, answers 200 with a body that is not `ok`.
    Malformed,
}

#[derive(Default)]
struct State {
    script: VecDeque<Reply>,
    requests: usize,
    /// When each request arrived.
    arrived: Vec<std::time::Instant>,
    posts: Vec<serde_json::Value>,
    wrong_path: usize,
}

pub struct FakeSlack {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl FakeSlack {
    pub fn start() -> FakeSlack {
        let state = Arc::new(Mutex::new(State::default()));
        let s = state.clone();
        let base = serve(Arc::new(move |req: &Request| {
            let mut st = s.lock().unwrap();
            st.requests += 1;
            st.arrived.push(std::time::Instant::now());
            if req.method != "POST" || req.path != SECRET_PATH {
                st.wrong_path += 1;
                return Answer::new(404, "no_service");
            }
            if req.header("content-type") != Some("application/json") {
                return Answer::new(400, "invalid_payload");
            }
            let reply = st.script.pop_front().unwrap_or(Reply::Ok);
            let payload = serde_json::from_slice::<serde_json::Value>(&req.body);
            match reply {
                Reply::Ok | Reply::Slow(_) | Reply::Malformed => {
                    let Ok(p) = payload else {
                        return Answer::new(400, "invalid_payload");
                    };
                    st.posts.push(p);
                    match reply {
                        Reply::Slow(d) => Answer::new(200, "ok").delayed(d),
                        Reply::Malformed => Answer::new(200, "<html>ok?</html>"),
                        _ => Answer::new(200, "ok"),
                    }
                }
                Reply::Error(status, code) => Answer::new(status, code),
                Reply::RateLimited(secs) => {
                    Answer::new(429, "rate_limited").header("Retry-After", &secs.to_string())
                }
                Reply::ServerError(status) => Answer::new(status, "<html>upstream error</html>"),
                Reply::Drop => Answer::Drop,
            }
        }));
        FakeSlack {
            url: format!("{base}{SECRET_PATH}"),
            state,
        }
    }
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.state.lock().unwrap().script.extend(replies);
    }
    pub fn posts(&self) -> Vec<serde_json::Value> {
        self.state.lock().unwrap().posts.clone()
    }
    /// The time between the arrivals of requests `a` and `b` (0-based), as
    /// the fake saw them: a client's waits are read here, not timed around
    /// the client.
    pub fn gap(&self, a: usize, b: usize) -> std::time::Duration {
        let st = self.state.lock().unwrap();
        st.arrived[b].duration_since(st.arrived[a])
    }
    pub fn requests(&self) -> usize {
        self.state.lock().unwrap().requests
    }
}
