#include "scaling.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <mpi.h>

#include "lib/flash_attention.hpp"
#include "lib/lesson.hpp"
#include "lib/parallel.hpp"
#include "lib/random.hpp"
#include "ring.hpp"
#include "ring_schedule.hpp"

namespace ring {
namespace {

// MPI_Barrier, but sleeping between looks: a rank left out of a run must not
// take a core from the ranks in it (on 2 cores, every one counts).
void idle_barrier(MPI_Comm comm) {
    MPI_Request request;
    MPI_Ibarrier(comm, &request);
    int done = 0;
    while (MPI_Test(&request, &done, MPI_STATUS_IGNORE), !done)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void show_scaling(std::size_t tokens, std::size_t dim, bool causal) {
    int rank = 0, world_size = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &world_size);
    const std::size_t P = static_cast<std::size_t>(world_size);
    const bool root = rank == 0;
    if (root) {
        wb::section(fmt::format("Speed: the ring on 1 ... {} ranks, T = {}, d = {}", P, tokens, dim));
        wb::note("Each block is lib's attend_block (its two products in OpenBLAS). Time: from a barrier to the");
        wb::note("output gathered on rank 0, best of 2 runs.");
    }
    wb::Tensor q, k, v, reference;
    double single = 0.0;
    if (root) {
        wb::Generator g(0);
        q = g.randn({tokens, dim});
        k = g.randn({tokens, dim});
        v = g.randn({tokens, dim});
        const auto start = std::chrono::steady_clock::now();
        reference = wb::flash_attention(q, k, v, {.causal = causal});
        single = seconds_since(start);
    }
    idle_barrier(MPI_COMM_WORLD);

    std::vector<std::size_t> counts;
    for (std::size_t p = 1; p <= P; p *= 2) counts.push_back(p);
    if (counts.back() != P) counts.push_back(P);
    std::vector<std::string> rows;
    double one_rank = 0.0;
    for (const std::size_t p : counts) {
        MPI_Comm comm;
        MPI_Comm_split(MPI_COMM_WORLD, static_cast<std::size_t>(rank) < p ? 0 : MPI_UNDEFINED, rank, &comm);
        if (comm != MPI_COMM_NULL) {
            const std::vector<std::size_t> sizes = block_sizes(tokens, p);
            const wb::Tensor mq = scatter_rows(comm, q, sizes, dim), mk = scatter_rows(comm, k, sizes, dim),
                             mv = scatter_rows(comm, v, sizes, dim);
            double best = std::numeric_limits<double>::infinity(), compute = 0.0, wait = 0.0;
            wb::Tensor out;
            for (int run = 0; run < 2; ++run) {
                MPI_Barrier(comm);
                const double start = MPI_Wtime();
                const RingResult result = ring_attention(comm, mq, mk, mv, sizes, causal);
                idle_barrier(comm);  // a rank done early sleeps instead of spinning in the gather
                out = gather_rows(comm, result.partial.out, sizes);
                const double elapsed = MPI_Wtime() - start;
                const auto reports = gather_reports(comm, result.steps);
                if (root && elapsed < best) {
                    best = elapsed;
                    compute = wait = 0.0;
                    for (const auto& steps : reports)
                        for (const StepReport& x : steps) {
                            compute += x.compute_s;
                            wait += x.wait_s;
                        }
                }
            }
            if (root) {
                if (p == 1) one_rank = best;
                float difference = 0.0f;
                for (std::size_t i = 0; i < out.numel(); ++i)
                    difference = std::max(difference, std::abs(out.values()[i] - reference.values()[i]));
                rows.push_back(fmt::format("  {:>5}  {:>9.1f}  {:>8.2f}x  {:>16.1f}  {:>13.1f}  {:>11}", p, best * 1e3,
                                           one_rank / best, compute * 1e3, wait * 1e3,
                                           difference <= 1e-5f ? "yes" : "NO"));
            }
            MPI_Comm_free(&comm);
        }
        idle_barrier(MPI_COMM_WORLD);
    }
    if (!root) return;
    wb::note(fmt::format("  {:>5}  {:>9}  {:>9}  {:>16}  {:>13}  {:>11}", "ranks", "ms", "speed-up",
                         "compute ms (sum)", "wait ms (sum)", "= one proc."));
    for (const std::string& row : rows) wb::note(row);
    wb::note(fmt::format("One process, lib's flash_attention on {} thread(s): {:.1f} ms.", wb::parallel_threads(),
                         single * 1e3));
    const unsigned cores = std::thread::hardware_concurrency();
    wb::note(fmt::format("This machine has {} core(s): more ranks than cores take turns on them (mpirun "
                         "--oversubscribe),", cores));
    wb::note("so past that count the ring cannot go faster, only show the cost of passing the blocks.");
    if (causal)
        wb::note("Causal: rank r computes r + 1 blocks, so the last rank does P of the P(P+1)/2 and the others wait "
                 "for it (striped and zig-zag splits even this out).");
}

}  // namespace ring
