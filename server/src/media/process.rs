//! The processes the server starts (ffmpeg, ffprobe): made so that none outlives its job or the
//! server, and their output made fit to show a person.

use std::path::Path;
use std::process::Stdio;

use tokio::process::Command;

/// A command for ffmpeg or ffprobe that cannot outlive the server: in its own process group
/// (so a stop reaches anything it started, and a terminal's Ctrl-C does not reach it first),
/// killed when dropped, and on Linux sent SIGKILL by the kernel when the server dies, however
/// it dies.
pub(crate) fn command(program: &Path) -> Command {
    let mut command = Command::new(program);
    command.stdin(Stdio::null()).kill_on_drop(true);
    #[cfg(unix)]
    command.process_group(0);
    #[cfg(target_os = "linux")]
    {
        let parent = std::process::id();
        // SAFETY: only async-signal-safe calls (prctl, getppid, setpriority) between fork and exec.
        // The death signal follows the forking thread; tokio spawns from its worker threads,
        // which live as long as the runtime.
        unsafe {
            command.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // The server died between fork and prctl: the signal will never come.
                if libc::getppid() as u32 != parent {
                    return Err(std::io::Error::other("the server is gone"));
                }
                // Encoders yield to the server's own threads, so a balance or status request
                // is answered between two slices of ffmpeg's work rather than after them: with
                // 16 jobs on 2 cores the credits p99 was 104.6 ms at equal priority (bench
                // section 3). A failure only leaves the default priority.
                libc::setpriority(libc::PRIO_PROCESS, 0, FFMPEG_NICENESS);
                Ok(())
            });
        }
    }
    command
}

/// The niceness of every tool the server starts (see `command`).
#[cfg(target_os = "linux")]
const FFMPEG_NICENESS: libc::c_int = 10;

/// Kills a child's whole process group when dropped, unless the child was reaped.
pub(crate) struct Group {
    pub(crate) pid: Option<u32>,
}

impl Group {
    pub(crate) fn kill(&mut self) {
        #[cfg(unix)]
        if let Some(pid) = self.pid.take().and_then(|p| i32::try_from(p).ok()) {
            // SAFETY: kill(2) with a negative pid signals that process group; no memory is shared.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A tool's output as text fit for a sentence and the database: terminal escape sequences,
/// control characters, direction overrides and undecodable bytes removed. Every line read from
/// ffmpeg or ffprobe passes through here, so nothing else needs to think about it.
pub fn printable(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            match chars.next() {
                // CSI: parameters and intermediates up to a final byte in @..~.
                Some('[') => {
                    for c in chars.by_ref() {
                        if ('@'..='~').contains(&c) {
                            break;
                        }
                    }
                }
                // OSC and the other strings: up to BEL or ST (ESC \).
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    while let Some(c) = chars.next() {
                        if c == '\u{7}' || (c == '\u{1b}' && chars.next_if_eq(&'\\').is_some()) {
                            break;
                        }
                    }
                }
                // A two-character escape: its second character goes with it.
                _ => {}
            }
            continue;
        }
        let hidden = c.is_control()
            || c == '\u{fffd}'
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}');
        if c == '\t' {
            out.push(' ');
        } else if !hidden {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_printable_text_is_kept() {
        assert_eq!(
            printable(b"\x1b[1;31mred\x1b[0m \x1b]0;title\x07ok\x1b]2;t\x1b\\ \x1bMx"),
            "red ok x"
        );
        assert_eq!(printable(b"a\x00b\x7f\xc2\x9bc\xff\xfed\tz"), "abcd z");
        assert_eq!(printable("x\u{202e}y\u{200b}z".as_bytes()), "xyz");
        assert_eq!(printable("中文 ok".as_bytes()), "中文 ok");
        assert_eq!(printable(b"\x1b["), "", "an escape cut short");
    }
}
