//! A stand-in ffmpeg for the failures a real one cannot be made to show on demand: a shell
//! script that behaves like ffmpeg (it runs the real one) except when writing an extraction's
//! output (the argument ending in `.part`), where it does what the test says instead. It
//! writes its pid to `<dir>/fake.pid` then, so the test can look for the process afterwards.

#![allow(dead_code)] // each test binary uses a different part

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Write the script into `dir`; `misbehave` is shell run in place of an extraction.
pub fn ffmpeg(dir: &Path, misbehave: &str) -> PathBuf {
    let real = which("ffmpeg");
    let path = dir.join("fake-ffmpeg");
    let script = format!(
        "#!/bin/sh\nfor a in \"$@\"; do case \"$a\" in *.part)\n  echo $$ > '{pid}'\n  {misbehave}\n  exit 1;;\nesac; done\nexec '{real}' \"$@\"\n",
        pid = pid_file(dir).display(),
        real = real.display(),
    );
    std::fs::write(&path, script).expect("write the fake ffmpeg");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

pub fn pid_file(dir: &Path) -> PathBuf {
    dir.join("fake.pid")
}

/// The pid the fake wrote, once it has (waits up to `within`).
pub fn wait_pid(dir: &Path, within: std::time::Duration) -> u32 {
    let deadline = std::time::Instant::now() + within;
    loop {
        if let Some(pid) = std::fs::read_to_string(pid_file(dir))
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            return pid;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the fake ffmpeg was not started"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Whether `pid` is a live process (a zombie awaiting its parent counts as gone).
pub fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

fn which(program: &str) -> PathBuf {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(program))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{program} is not in PATH"))
}
