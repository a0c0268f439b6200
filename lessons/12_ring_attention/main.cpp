// Lesson 12: ring attention. The sequence is split into P blocks, one per MPI
// process ("rank"); each rank keeps its block's queries while the blocks of keys
// and values travel round a ring of ranks, and each rank folds every block it is
// handed into its result with lesson 11's online softmax. Rank 0 gathers the
// outputs and compares them with attention computed in one process. Liu, Zaharia
// and Abbeel 2023, "Ring Attention with Blockwise Transformers".
//
//   ./workbook run 12 --ranks 4                      the book's six tokens on 4 ranks
//   ./workbook run 12 --ranks 3 --tokens 1000 --dim 64   a longer random sequence
//   ./workbook run 12 --ranks 4 --scaling            the speed-up over one rank, T = 8,192
//   mpirun -np 4 build/release/bin/lesson12          the same without ./workbook
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <mpi.h>

#include "lib/attention.hpp"
#include "lib/book_inputs.hpp"
#include "lib/errors.hpp"
#include "lib/flags.hpp"
#include "lib/flash_attention.hpp"
#include "lib/lesson.hpp"
#include "lib/print.hpp"
#include "lib/random.hpp"
#include "lib/self_attention.hpp"
#include "lib/yours.hpp"
#include "ring.hpp"
#include "ring_schedule.hpp"
#include "scaling.hpp"

using namespace wb;

namespace {

struct Options {
    int ranks = 0, tokens = 0, dim = 64;
    std::uint64_t seed = 0;
    bool no_causal = false, no_timing = false, scaling = false;
};

// mpirun tells each process its number in the environment before MPI_Init: only
// the first one prints --help or a bad flag's message.
bool first_process() {
    for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"})
        if (const char* value = std::getenv(name)) return std::string(value) == "0";
    return true;
}

// The inputs every rank's block is cut from, on rank 0: the book's six tokens
// through lesson 05's SelfAttention_v2, or torch.randn(T, D) three times.
struct Inputs {
    Tensor q, k, v;
    std::vector<std::string> tokens;  // the words, for the six tokens
};

Inputs make_inputs(const Options& o) {
    if (o.tokens == 0) {
        const Embeddings e = your_journey_starts_with_one_step();
        Generator g(789);
        const SelfAttention_v2 sa(3, 2, g);
        return {sa.W_query.forward(e.vectors), sa.W_key.forward(e.vectors), sa.W_value.forward(e.vectors), e.tokens};
    }
    Generator g(o.seed);
    const Shape shape{static_cast<std::size_t>(o.tokens), static_cast<std::size_t>(o.dim)};
    Tensor q = g.randn(shape), k = g.randn(shape), v = g.randn(shape);
    return {std::move(q), std::move(k), std::move(v), {}};
}

std::string token_range(std::size_t start, std::size_t n, const std::vector<std::string>& words) {
    std::string text = n == 1 ? fmt::format("token {}", start) : fmt::format("tokens {}-{}", start, start + n - 1);
    if (words.empty()) return text;
    std::vector<std::string> mine(words.begin() + start, words.begin() + start + n);
    return fmt::format("{} ({})", text, fmt::join(mine, " "));
}

// The first and last `n` rows, first 4 channels: what a long output prints.
Tensor corners(const Tensor& x, std::size_t n) {
    if (x.size(0) <= 2 * n && x.size(1) <= 4) return x;
    const std::size_t rows = std::min(x.size(0), 2 * n), cols = std::min<std::size_t>(x.size(1), 4);
    Tensor out = zeros({rows, cols});
    for (std::size_t i = 0; i < rows; ++i) {
        const std::size_t from = i < rows / 2 ? i : x.size(0) - rows + i;
        for (std::size_t c = 0; c < cols; ++c) out(i, c) = x(from, c);
    }
    return out;
}

float largest_difference(const Tensor& a, const Tensor& b) {
    float m = 0.0f;
    for (std::size_t i = 0; i < a.numel(); ++i) m = std::max(m, std::abs(a.values()[i] - b.values()[i]));
    return m;
}

void print_schedule(const std::vector<std::size_t>& table, std::size_t P, bool causal) {
    std::string header = fmt::format("  {:>8}", "");
    for (std::size_t s = 0; s < P; ++s) header += fmt::format("{:>8}", fmt::format("step {}", s));
    note(header);
    for (std::size_t r = 0; r < P; ++r) {
        std::string line = fmt::format("  {:>8}", fmt::format("rank {}", r));
        for (std::size_t s = 0; s < P; ++s) {
            const std::size_t b = table[r * P + s];
            line += fmt::format("{:>8}", causal && ring::skips(r, b) ? fmt::format("({})", b) : std::to_string(b));
        }
        note(line);
    }
}

// Rank 0's report of every rank's steps, in rank order; returns the bytes sent in all.
std::uint64_t print_steps(const std::vector<std::vector<ring::StepReport>>& reports, bool causal, bool timing) {
    note(fmt::format("  {:>4}  {:>4}  {:>5}  {:<25}  {:>10}{}", "rank", "step", "block", "work", "sent (B)",
                     timing ? fmt::format("  {:>10}  {:>8}", "compute ms", "wait ms") : ""));
    std::uint64_t total = 0;
    for (std::size_t r = 0; r < reports.size(); ++r) {
        double compute = 0.0, wait = 0.0;
        for (std::size_t s = 0; s < reports[r].size(); ++s) {
            const ring::StepReport& x = reports[r][s];
            const std::size_t b = static_cast<std::size_t>(x.block);
            const char* work = x.computed == 0.0 ? "skip: all in its future"
                               : !causal        ? "attend"
                               : b == r         ? "attend, diagonal: masked"
                                                : "attend, all in its past";
            note(fmt::format("  {:>4}  {:>4}  {:>5}  {:<25}  {:>10}{}", r, s, b, work,
                             format_count(static_cast<std::uint64_t>(x.bytes_sent)),
                             timing ? fmt::format("  {:>10.3f}  {:>8.3f}", x.compute_s * 1e3, x.wait_s * 1e3) : ""));
            total += static_cast<std::uint64_t>(x.bytes_sent);
            compute += x.compute_s;
            wait += x.wait_s;
        }
        if (timing)
            note(fmt::format("  rank {}: {:.3f} ms computing, {:.3f} ms waiting", r, compute * 1e3, wait * 1e3));
    }
    return total;
}

// The walkthrough; every rank runs it, rank 0 prints.
int walkthrough(const Options& o, YourExercises& yours) {
    MPI_Comm world = MPI_COMM_WORLD;
    int rank_int = 0, size_int = 0;
    MPI_Comm_rank(world, &rank_int);
    MPI_Comm_size(world, &size_int);
    const std::size_t rank = static_cast<std::size_t>(rank_int), P = static_cast<std::size_t>(size_int);
    const bool root = rank == 0, causal = !o.no_causal, timing = !o.no_timing;
    const std::size_t T = o.tokens == 0 ? 6 : static_cast<std::size_t>(o.tokens);
    const std::size_t d = o.tokens == 0 ? 2 : static_cast<std::size_t>(o.dim);

    section("Lesson 12: ring attention across processes");
    note(fmt::format("{} ranks (mpirun -np {}), {} tokens, queries, keys and values {} wide, {} attention.", P, P, T,
                     d, causal ? "causal" : "full (not causal)"));
    const Inputs in = root ? make_inputs(o) : Inputs{};
    if (root && o.tokens == 0) {
        heading("The book's six tokens through lesson 05's SelfAttention_v2 (torch.manual_seed(789), d_out 2)");
        print("queries:", in.q);
        print("keys:", in.k);
        print("values:", in.v);
    } else if (root) {
        heading(fmt::format("q, k, v = torch.randn({}, {}) each, torch.manual_seed({}): first and last rows of v",
                            T, d, o.seed));
        print(corners(in.v, 2));
    }

    heading(fmt::format("The sequence cut into {} blocks, one per rank (torch.tensor_split)", P));
    const std::vector<std::size_t> sizes = ring::block_sizes(T, P), starts = ring::block_starts(sizes);
    if (root) {
        yours.compare("12.2", sizes, T, P);
        note(T % P == 0 ? fmt::format("{} tokens over {} rank{}: {} each.", T, P, P == 1 ? "" : "s", T / P)
                        : fmt::format("{} tokens over {} ranks: {} each, the first {} one more.", T, P, T / P, T % P));
        for (std::size_t r = 0; r < P; ++r)
            note(fmt::format("  rank {}: {}", r, token_range(starts[r], sizes[r], in.tokens)));
        note("Each rank keeps its block's queries for the whole run; its keys and values go round.");
    }
    const Tensor q = ring::scatter_rows(world, in.q, sizes, d), k = ring::scatter_rows(world, in.k, sizes, d),
                 v = ring::scatter_rows(world, in.v, sizes, d);

    if (root) {
        heading("The ring's schedule: rank r holds block (r - s) mod P at step s");
        note("After each step every rank passes the block it holds to rank r + 1 and takes rank r - 1's.");
        const std::vector<std::size_t> table = yours.step("12.1", ring::schedule, P);
        print_schedule(table, P, causal);
        if (causal) {
            note("(b): block b is in the future of all of rank r's queries (b > r): causal attention skips it,");
            note("and nobody sends it: a block stops at the last rank, which is the last to need it.");
        }
    }

    const ring::RingResult mine = ring::ring_attention(world, q, k, v, sizes, causal);
    const std::vector<std::vector<ring::StepReport>> reports = ring::gather_reports(world, mine.steps);
    const Tensor gathered = ring::gather_rows(world, mine.partial.out, sizes);
    if (!root) return 0;

    heading("What each rank did at each step (lesson 11's attend_block, then merge into its running result)");
    note("The next block's transfer (MPI_Isend to r + 1, MPI_Irecv from r - 1) is posted before the rank");
    note(timing ? "computes on the one it holds; the wait is the part of the transfer the computing did not hide."
                : "computes on the one it holds, so the two overlap (timings: without --no-timing).");
    const std::uint64_t sent = print_steps(reports, causal, timing);

    heading("Rank 0 gathers every rank's output (MPI_Gatherv), in token order");
    print(corners(gathered, 3));
    heading(o.tokens == 0 ? "One process, all at once (lesson 05's way: softmax(masked scores / sqrt(2)) @ values)"
                          : "One process: lib's flash_attention (lesson 11) on the whole sequence");
    const Tensor single = o.tokens == 0 ? scaled_dot_product_attention(in.q, in.k, in.v,
                                                                        causal ? causal_mask(T) : Tensor())
                                              .context
                                        : flash_attention(in.q, in.k, in.v, {.causal = causal});
    print(corners(single, 3));
    const float difference = largest_difference(gathered, single);
    const float tolerance = o.tokens == 0 ? 1e-6f : 1e-5f;
    note(fmt::format("The ring's output equals one process's within {:.0e}: {}", tolerance,
                     difference <= tolerance ? "yes" : "NO"));
    if (timing) note(fmt::format("(largest difference: {:.3g})", difference));

    heading("Communication: what the ring sent");
    const std::uint64_t block = ring::block_bytes(sizes[0], d, d);
    const std::uint64_t full = ring::ring_bytes(sizes, d, d, false), formula = ring::ring_bytes(sizes, d, d, causal);
    yours.compare("12.3", formula, sizes, d, d, causal);
    note(fmt::format("A block of {} tokens' keys and values: {} x ({} + {}) x 4 bytes = {} bytes.", sizes[0],
                     sizes[0], d, d, format_count(block)));
    note(fmt::format("Full ring: every block makes P - 1 hops: {} bytes{}.", format_count(full),
                     T % P == 0 ? fmt::format(" = ({} - 1) steps x {} ranks x {} bytes", P, P, format_count(block))
                                : " (blocks of unequal size: the sum over blocks of (P - 1) x its bytes)"));
    if (causal)
        note(fmt::format("Causal: block b makes only P - 1 - b hops (it stops at the last rank): {} bytes.",
                         format_count(formula)));
    note(fmt::format("Sent, counted by the ranks: {} bytes: {}", format_count(sent),
                     sent == formula ? "as the formula says" : "NOT what the formula says"));

    yours.print_summary();
    return difference <= tolerance && sent == formula ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    Flags flags("lesson12", "Lesson 12: ring attention across MPI processes (run it with mpirun, or ./workbook run 12 --ranks N)");
    flags.add("--ranks", o.ranks, "N", "how many ranks mpirun started (checked; ./workbook run 12 --ranks N starts them)");
    flags.add("--tokens", o.tokens, "T", "a random sequence of T tokens instead of the book's six");
    flags.add("--dim", o.dim, "D", "the width of the random queries, keys and values (default 64)");
    flags.add("--seed", o.seed, "N", "torch.manual_seed for the random sequence (default 0)");
    flags.add_switch("--no-causal", o.no_causal, "full attention: every query sees every key (every block is sent round)");
    flags.add_switch("--no-timing", o.no_timing, "leave out the times (what the golden test runs)");
    flags.add_switch("--scaling", o.scaling, "also time the ring on 1, 2, 4 ... ranks at T = 8,192, d = 64 (or --tokens, --dim)");
    if (!first_process()) std::freopen("/dev/null", "w", stdout);
    flags.parse(argc, argv);

    MPI_Init(&argc, &argv);
    int rank = 0, size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    // The flags are the same on every rank, so is their check: rank 0 says what is wrong.
    std::string problem;
    if (o.ranks != 0 && o.ranks != size)
        problem = fmt::format("--ranks {} but mpirun started {} process{}: start it as mpirun -np {} ... (or "
                              "./workbook run 12 --ranks {})",
                              o.ranks, size, size == 1 ? "" : "es", o.ranks, o.ranks);
    else if (o.tokens < 0 || (o.tokens > 0 && o.tokens < size))
        problem = fmt::format("--tokens {}: each of the {} ranks needs at least one token, so {} to 1,000,000 (or 0 "
                              "for the book's six)",
                              o.tokens, size, size);
    else if (o.tokens == 0 && size > 6)
        problem = fmt::format("the book's six tokens cannot be split over {} ranks: use 1 to 6, or --tokens", size);
    else if (o.dim < 1 || o.dim > 1024 || o.tokens > 1000000)
        problem = fmt::format("--dim {} --tokens {}: the width takes 1 to 1,024, the tokens up to 1,000,000", o.dim,
                              o.tokens);
    if (!problem.empty()) {
        if (rank == 0) fmt::print(stderr, "error: {}\n", problem);
        MPI_Finalize();
        return 1;
    }
    int status = 0;
    try {
        YourExercises yours = your_exercises();
        status = walkthrough(o, yours);
        if (o.scaling) ring::show_scaling(o.tokens == 0 ? 8192 : static_cast<std::size_t>(o.tokens),
                                          o.tokens == 0 ? 64 : static_cast<std::size_t>(o.dim), !o.no_causal);
        if (rank == 0 && status != 0) fmt::print(stderr, "error: the ring's result differs from one process's\n");
    } catch (const std::exception& e) {
        std::fflush(stdout);
        fmt::print(stderr, "error (rank {}): {}\n", rank, e.what());
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    return status;
}
