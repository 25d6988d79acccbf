//! What the process may use and uses: the open-file limit (raised to its hard limit at start,
//! so that many slow clients cannot stop the server from accepting) and resident memory.

/// File descriptors kept free of connections: the listener, logs, fixture files.
const SPARE_FILES: u64 = 64;

/// The process's open-file limit after raising the soft limit to the hard one (or as far as
/// the system allows), or `None` where it cannot be read.
pub fn raise_open_files_limit() -> Option<u64> {
    rlimit::increase_nofile_limit(u64::MAX).ok()
}

/// How many connections each of `workers` may hold so that all of them together stay below
/// `open_files`, with some to spare.
pub fn connections_per_worker(open_files: u64, workers: usize) -> usize {
    let usable = open_files.saturating_sub(SPARE_FILES).max(workers as u64);
    let per_worker = usable / workers.max(1) as u64;
    usize::try_from(per_worker)
        .unwrap_or(usize::MAX)
        .clamp(1, 25_000)
}

/// The process's resident memory in bytes (Linux), or `None` elsewhere.
pub fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
