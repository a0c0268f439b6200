#include "timing.hpp"

#include <chrono>
#include <vector>

#include <fmt/format.h>

#include "lib/kv_cache.hpp"
#include "lib/lesson.hpp"
#include "lib/print.hpp"
#include "lib/random.hpp"

using namespace wb;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Run {
    double total = 0.0, last = 0.0;  // seconds: all the steps, and the last one alone
};

Run with_cache(GPTModel& model, const std::vector<std::size_t>& tokens) {
    CachedGPT cached(model);
    Run run;
    const auto start = std::chrono::steady_clock::now();
    for (const std::size_t t : tokens) {
        const auto step = std::chrono::steady_clock::now();
        cached.step(t);
        run.last = seconds_since(step);
    }
    run.total = seconds_since(start);
    return run;
}

Run without_cache(GPTModel& model, const std::vector<std::size_t>& tokens) {
    Run run;
    std::vector<std::size_t> prefix;
    const auto start = std::chrono::steady_clock::now();
    for (const std::size_t t : tokens) {
        prefix.push_back(t);
        const auto step = std::chrono::steady_clock::now();
        last_logits(model, prefix);
        run.last = seconds_since(step);
    }
    run.total = seconds_since(start);
    return run;
}

}  // namespace

void time_generation(GPTModel& model, const GPTConfig& cfg) {
    section("Timing: generating T tokens with and without the cache (this machine, this run)");
    Generator g(0);
    std::vector<std::size_t> tokens;
    for (const std::int64_t t : g.randint(0, static_cast<std::int64_t>(cfg.vocab_size), 512))
        tokens.push_back(static_cast<std::size_t>(t));
    note(fmt::format("  {:>6}  {:>26}  {:>26}  {:>9}", "", "with the cache", "recomputing the prefix", ""));
    note(fmt::format("  {:>6}  {:>12}  {:>12}  {:>12}  {:>12}  {:>9}", "tokens", "total (ms)", "last (ms)", "total (ms)",
                     "last (ms)", "speed-up"));
    Run previous_cached, previous_full;
    for (std::size_t T = 64; T <= 512; T *= 2) {
        const std::vector<std::size_t> prefix(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(T));
        const Run cached = with_cache(model, prefix), full = without_cache(model, prefix);
        note(fmt::format("  {:>6}  {:>12.2f}  {:>12.3f}  {:>12.2f}  {:>12.3f}  {:>8.1f}x", T, cached.total * 1e3,
                         cached.last * 1e3, full.total * 1e3, full.last * 1e3, full.total / cached.total));
        if (T > 64)
            note(fmt::format("          doubling T: the cached total grew {:.1f}x, the recomputed {:.1f}x",
                             cached.total / previous_cached.total, full.total / previous_full.total));
        previous_cached = cached;
        previous_full = full;
    }
    note("With the cache the total grows about 2x per doubling (linear: each token costs about the same, plus a");
    note("little attention over a longer cache); recomputing, about 4x (quadratic: each step is a whole prefix).");
}
