// Lesson 08's benchmark: does attention with a sparse pattern stop growing with
// the square of the length? sparse_attention (only the attended pairs computed)
// for T = 512 ... 16,384 at head dimension 64, each pattern's time fitted as
// c * T^k, and PyTorch's dense causal attention on the same machine in the same run.
//
//   ./workbook bench 08 [REPS]          best of REPS runs per length (default 3)
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/lesson.hpp"
#include "lib/parallel.hpp"
#include "lib/python_script.hpp"
#include "lib/print.hpp"
#include "lib/random.hpp"
#include "lib/sparse_attention.hpp"

using namespace wb;

namespace {

constexpr std::array<std::size_t, 6> kLengths = {512, 1024, 2048, 4096, 8192, 16384};

// The power of two nearest sqrt(T): Child et al. choose the stride near sqrt(T).
std::size_t stride_for(std::size_t T) {
    std::size_t l = 1;
    while (l * l * 2 < T) l *= 2;
    return l;
}

// The least-squares slope of log(time) against log(T): the k of time = c * T^k.
double fitted_exponent(const std::vector<double>& lengths, const std::vector<double>& seconds) {
    const double n = static_cast<double>(lengths.size());
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (std::size_t i = 0; i < lengths.size(); ++i) {
        const double x = std::log(lengths[i]), y = std::log(seconds[i]);
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

double best_seconds(const Tensor& q, const Tensor& k, const Tensor& v, const SparsePattern& p, int reps) {
    double best = 1e30;
    for (int r = 0; r < reps; ++r) {
        const auto start = std::chrono::steady_clock::now();
        const Tensor out = sparse_attention(q, k, v, p);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        if (!std::isfinite(out.values()[0])) throw ValueError("sparse_attention gave a non-finite number");
    }
    return best;
}

// PyTorch's dense causal attention, milliseconds per length; empty without torch.
std::map<std::size_t, double> torch_milliseconds(std::size_t threads, int reps, std::string& version) {
    std::vector<std::string> arguments = {std::to_string(threads), std::to_string(reps)};
    for (const std::size_t T : kLengths) arguments.push_back(std::to_string(T));
    std::map<std::size_t, double> ms;
    for (const std::string& line : run_python(WB_SOURCE_DIR "/lessons/08_sparse_attention/benchmark_torch.py", arguments)) {
        unsigned long T = 0;
        double value = 0;
        if (std::sscanf(line.c_str(), "torch_ms %lu %lf", &T, &value) == 2) ms[T] = value;
        else if (line.rfind("torch_version ", 0) == 0) version = line.substr(14);
    }
    return ms;
}

}  // namespace

int main(int argc, char** argv) {
    return run_lesson([&] {
        const int reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
        const std::size_t threads = parallel_threads();
        section(fmt::format("sparse_attention, head dimension 64, one head, best of {} on {} thread{}", reps, threads,
                            threads == 1 ? "" : "s"));
        note("patterns: causal (every pair), window 256, strided and fixed with l = the power of 2 nearest sqrt(T),");
        note("fixed with c = 8 summary positions");
        const std::array<std::string, 4> names = {"causal", "window", "strided", "fixed"};
        std::array<std::vector<double>, 4> seconds;
        std::vector<double> lengths;
        note(fmt::format("\n{:>7}{:>6}{:>12}{:>12}{:>12}{:>12}   pairs (causal / strided)", "T", "l", "causal ms",
                         "window ms", "strided ms", "fixed ms"));
        Generator g(123);
        for (const std::size_t T : kLengths) {
            const Tensor q = g.randn({T, 64}), k = g.randn({T, 64}), v = g.randn({T, 64});
            const std::size_t l = stride_for(T);
            const std::array<SparsePattern, 4> patterns = {causal_pattern(), sliding_window_pattern(256),
                                                           strided_pattern(l), fixed_pattern(l, 8)};
            std::string row = fmt::format("{:>7}{:>6}", T, l);
            for (std::size_t p = 0; p < patterns.size(); ++p) {
                seconds[p].push_back(best_seconds(q, k, v, patterns[p], reps));
                row += fmt::format("{:>12.2f}", seconds[p].back() * 1e3);
            }
            note(row + fmt::format("   {} / {}", format_count(attended_pairs(patterns[0], T)),
                                   format_count(attended_pairs(patterns[2], T))));
            lengths.push_back(static_cast<double>(T));
        }
        heading("Fitted exponent k of time = c * T^k, over all lengths");
        for (std::size_t p = 0; p < names.size(); ++p)
            note(fmt::format("  {:<8} {:.2f}", names[p], fitted_exponent(lengths, seconds[p])));
        note("Expected from the pair counts: 2 for causal, 1 for a fixed window, 1.5 for strided and fixed.");

        std::string version;
        const std::map<std::size_t, double> torch = torch_milliseconds(threads, reps, version);
        heading("PyTorch's dense causal attention (scores formed, masked, softmaxed), same machine, same run");
        if (torch.size() != kLengths.size()) {
            note("not measured: /usr/bin/python3 with torch is not installed (apt-get install python3-torch)");
            return;
        }
        note(fmt::format("torch {}, {} thread{}", version, threads, threads == 1 ? "" : "s"));
        note(fmt::format("{:>7}{:>12}{:>16}{:>16}{:>16}", "T", "torch ms", "causal ratio", "window ratio",
                         "strided ratio"));
        for (std::size_t i = 0; i < kLengths.size(); ++i) {
            const double t = torch.at(kLengths[i]);
            note(fmt::format("{:>7}{:>12.2f}{:>15.2f}x{:>15.2f}x{:>15.2f}x", kLengths[i], t,
                             t / (seconds[0][i] * 1e3), t / (seconds[1][i] * 1e3), t / (seconds[2][i] * 1e3)));
        }
        note("ratio = PyTorch's time / ours: above 1 ours is faster. torch forms all T x T scores with sgemm and");
        note("masks half of them; ours computes only the attended pairs, with dot products. Dense causal is within");
        note("a small factor either way; the sparse patterns pull ahead as T grows, since their pairs grow slower.");
    });
}
