// Lesson 11's benchmark: causal attention of one head (width 64, float32) for T =
// 1,024 ... 32,768 tokens, three ways, in the same run:
//
//   tiled   lib/flash_attention.hpp: OpenBLAS tiles of 128 x 128, the online softmax,
//           the tiles above the diagonal skipped, blocks of queries over the cores
//   dense   lib/attention.hpp's scaled_dot_product_attention with causal_mask(T):
//           the T x T scores, mask and weights, as lessons 04-07 compute them
//   torch   benchmark_torch.py: F.scaled_dot_product_attention(is_causal=True) where
//           torch has it (2.0 and later), else the same dense computation in torch
//
//   ./workbook bench 11 [--max-tokens N]      (about a minute)
//
// (lesson11_benchmark --child tiled T BLOCK_Q BLOCK_K times one call with other
// tile sizes: on the course's machine 64 to 256 a side were all within noise.)
//
// Speed: the best of a few calls (one for the longest), and the ratio to the time
// sgemm would need for the same multiply-adds at the rate a 1,024 sgemm reaches just
// before, in the same run (4 * 64 * T(T+1)/2 FLOPs for the causal half: q @ k.T and
// weights @ v over the visible pairs).
// Peak memory: every measurement runs in a fresh process (this program again, with
// --child), which allocates and touches its inputs, reads its peak resident size
// (getrusage's ru_maxrss), calls the attention once and reads it again: the
// difference is what the call itself needed at its peak. PyTorch's script does the
// same with Python's resource module.
//
// The dense paths stop at T = 8,192: each of their T x T float matrices is 256 MiB
// there, 1 GiB at 16,384 and 4 GiB at 32,768, and they hold several at once.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lib/attention.hpp"
#include "lib/errors.hpp"
#include "lib/flash_attention.hpp"
#include "lib/kernels.hpp"
#include "lib/lesson.hpp"
#include "lib/model_config.hpp"
#include "lib/parallel.hpp"
#include "lib/print.hpp"
#include "lib/python_script.hpp"
#include "lib/random.hpp"

using namespace wb;

namespace {

constexpr std::size_t kHeadDim = 64;
constexpr std::size_t kDenseLimit = 8192;

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::uint64_t peak_bytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

// FLOPs of the causal half: for each visible (query, key) pair, a dot product of 64
// (q @ k.T) and 64 multiply-adds into the output (weights @ v).
double causal_flops(std::size_t T) { return 4.0 * kHeadDim * static_cast<double>(T) * static_cast<double>(T + 1) / 2.0; }

// --- the child: one path at one length, in its own process -------------------------------

int child(const std::string& path, std::size_t T, std::size_t block_q = 128, std::size_t block_k = 128) {
    Generator g(0);
    const Tensor q = g.randn({T, kHeadDim}), k = g.randn({T, kHeadDim}), v = g.randn({T, kHeadDim});
    const std::uint64_t before = peak_bytes();
    const auto run = [&] {
        if (path == "tiled") return flash_attention(q, k, v, {true, {}, block_q, block_k}).numel();
        return scaled_dot_product_attention(q, k, v, causal_mask(T)).context.numel();
    };
    auto start = Clock::now();
    run();
    double best = seconds_since(start);
    const std::uint64_t after = peak_bytes();
    const int repeats = T <= 4096 ? 5 : T <= 8192 ? 2 : 1;
    for (int r = 1; r < repeats; ++r) {
        start = Clock::now();
        run();
        best = std::min(best, seconds_since(start));
    }
    fmt::print("seconds {:.6f}\npeak_added_bytes {}\n", best, after - before);
    return 0;
}

// --- the parent -------------------------------------------------------------------------------

struct Measurement {
    double seconds = 0.0;
    std::uint64_t peak_added = 0;
};

std::optional<Measurement> read_measurement(const std::vector<std::string>& lines, const std::string& prefix) {
    const auto s = find_value(lines, prefix + "seconds"), p = find_value(lines, prefix + "peak_added_bytes");
    if (!s || !p) return std::nullopt;
    return Measurement{std::stod(*s), std::stoull(*p)};
}

std::vector<std::string> run_child(const std::string& self, const std::string& path, std::size_t T) {
    std::vector<std::string> lines;
    FILE* pipe = popen(fmt::format("'{}' --child {} {}", self, path, T).c_str(), "r");
    if (!pipe) return lines;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe)) {
        std::string line = buffer;
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
        lines.push_back(line);
    }
    pclose(pipe);
    return lines;
}

// The rate a square sgemm of 1,024 reaches here now, in FLOP/s (best of five), with
// all of OpenBLAS's threads. Measured again before each length: on a machine shared
// with other programs the rate moves, and each row is compared with its own.
double sgemm_rate() {
    const std::size_t n = 1024;
    Generator g(1);
    const Tensor a = g.rand({n, n}), b = g.rand({n, n});
    Tensor c = zeros({n, n});
    double best = std::numeric_limits<double>::infinity();
    for (int r = 0; r < 5; ++r) {
        const auto start = Clock::now();
        detail::gemm(false, false, n, n, n, a.data(), b.data(), c.data(), 0.0f);
        best = std::min(best, seconds_since(start));
    }
    return 2.0 * static_cast<double>(n * n * n) / best;
}

// PyTorch's best of two settings (its default, and OPENBLAS_NUM_THREADS=1: Debian's
// torch calls a pthreads OpenBLAS whose threads otherwise fight torch's own).
std::optional<Measurement> torch_run(std::size_t T, std::string& version, std::string& path) {
    std::optional<Measurement> best;
    for (const char* environment : {"", "OPENBLAS_NUM_THREADS=1"}) {
        const auto lines = run_python(WB_SOURCE_DIR "/lessons/11_long_context/benchmark_torch.py",
                                      {std::to_string(T), std::to_string(parallel_threads()), std::to_string(kDenseLimit)},
                                      environment);
        if (const auto v = find_value(lines, "torch_version")) version = *v;
        if (const auto p = find_value(lines, "torch_path")) path = *p;
        const auto m = read_measurement(lines, "torch_");
        if (m && (!best || m->seconds < best->seconds)) best = m;
    }
    return best;
}

std::string ms(const std::optional<Measurement>& m) { return m ? fmt::format("{:.1f}", m->seconds * 1e3) : "-"; }
std::string mib(const std::optional<Measurement>& m) {
    return m ? fmt::format("{:.1f}", static_cast<double>(m->peak_added) / (1024.0 * 1024.0)) : "-";
}

}  // namespace

int main(int argc, char** argv) {
    return run_lesson([&] {
        const std::vector<std::string> args(argv + 1, argv + argc);
        if (args.size() == 5 && args[0] == "--child") {  // block sizes: for trying others
            child(args[1], std::stoul(args[2]), std::stoul(args[3]), std::stoul(args[4]));
            return;
        }
        if (args.size() == 3 && args[0] == "--child") {
            child(args[1], std::stoul(args[2]));
            return;
        }
        std::size_t max_tokens = 32768;
        if (args.size() == 2 && args[0] == "--max-tokens" && args[1].find_first_not_of("0123456789") == std::string::npos &&
            !args[1].empty() && args[1].size() < 7 && std::stoul(args[1]) >= 1024)
            max_tokens = std::stoul(args[1]);
        else if (!args.empty())
            throw ValueError(fmt::format("unknown arguments '{}': the benchmark takes [--max-tokens N], N >= 1024 "
                                         "(32768 by default)",
                                         fmt::join(args, " ")));
        const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();  // this program

        section("Causal attention of one head (width 64, float32): tiled against dense and PyTorch");
        note("'x sgemm': the time over what sgemm would need for the same causal multiply-adds (4 * 64 * T(T+1)/2");
        note("FLOPs) at the rate a 1,024 x 1,024 sgemm reaches just before (OpenBLAS, all its threads).");
        note(fmt::format("C++: {} threads (parallel_for over blocks of 128 queries). Peak: what one call added to the "
                         "process's",
                         parallel_threads()));
        note("peak resident size, its output included (in a fresh process per measurement).");
        note("");
        note(fmt::format("  {:>7}  {:>7}  {:>9} {:>8} {:>9}  {:>9} {:>9}  {:>9} {:>9}  {:>11}", "T", "sgemm", "tiled ms",
                         "x sgemm", "peak MiB", "dense ms", "peak MiB", "torch ms", "peak MiB", "torch/tiled"));
        note(fmt::format("  {:>7}  {:>7}", "", "GFLOP/s"));
        std::string torch_version, torch_path;
        for (std::size_t T = 1024; T <= max_tokens; T *= 2) {
            const double rate = sgemm_rate();
            const auto tiled = read_measurement(run_child(self, "tiled", T), "");
            const auto dense = T <= kDenseLimit ? read_measurement(run_child(self, "dense", T), "") : std::nullopt;
            const auto torch = torch_run(T, torch_version, torch_path);
            if (!tiled) throw ValueError(fmt::format("the tiled child at T = {} gave no result", T));
            const double implied = causal_flops(T) / rate;
            note(fmt::format("  {:>7}  {:>7.0f}  {:>9} {:>8.2f} {:>9}  {:>9} {:>9}  {:>9} {:>9}  {:>11}", format_count(T),
                             rate / 1e9, ms(tiled), tiled->seconds / implied, mib(tiled), ms(dense), mib(dense),
                             ms(torch), mib(torch), torch ? fmt::format("{:.2f}x", torch->seconds / tiled->seconds) : "-"));
        }
        note("");
        note(fmt::format("The dense paths stop at T = {}: one T x T float matrix is 1 GiB at 16,384 and 4 GiB at",
                         format_count(kDenseLimit)));
        note("32,768, and they hold several (scores, mask, weights). The tiled kernel's peak stays a few tiles per thread.");
        if (torch_version.empty()) {
            note("PyTorch: no result (is python3-torch installed? apt-get install python3-torch)");
        } else {
            note(fmt::format("PyTorch {}, the best of its default threads and OPENBLAS_NUM_THREADS=1: {}.", torch_version,
                             torch_path));
            note("'torch/tiled' above 1: the tiled kernel is that many times faster.");
        }
    });
}
