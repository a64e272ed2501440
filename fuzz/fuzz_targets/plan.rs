//! Scenario TOML -> `costplan::plan_toml` (estimate plus the traffic simulator and its ladder
//! search). Slow per input, so only small inputs with a `[traffic]` table are run.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.len() > 4096 || !text.contains("[traffic]") {
        return;
    }
    let _ = costplan::plan_toml("fuzz.toml", text, Some(1));
});
