#include "ring.hpp"

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "ring_schedule.hpp"

namespace ring {
namespace {

int rank_of(MPI_Comm comm) {
    int r = 0;
    MPI_Comm_rank(comm, &r);
    return r;
}

int size_of(MPI_Comm comm) {
    int p = 0;
    MPI_Comm_size(comm, &p);
    return p;
}

std::vector<int> counts_of(const std::vector<std::size_t>& sizes, std::size_t width) {
    std::vector<int> counts;
    for (const std::size_t n : sizes) counts.push_back(static_cast<int>(n * width));
    return counts;
}

std::vector<int> displacements_of(const std::vector<int>& counts) {
    std::vector<int> displs(counts.size(), 0);
    for (std::size_t r = 1; r < counts.size(); ++r) displs[r] = displs[r - 1] + counts[r - 1];
    return displs;
}

}  // namespace

RingResult ring_attention(MPI_Comm comm, const wb::Tensor& q, const wb::Tensor& k, const wb::Tensor& v,
                          const std::vector<std::size_t>& sizes, bool causal) {
    const std::size_t P = static_cast<std::size_t>(size_of(comm)), r = static_cast<std::size_t>(rank_of(comm));
    if (sizes.size() != P || q.size(0) != sizes[r] || k.size(0) != sizes[r] || v.size(0) != sizes[r])
        throw wb::ShapeError(fmt::format("ring_attention: rank {} of {} holds q {}, k {}, v {} for a block of {} "
                                         "rows in a split into {} blocks",
                                         r, P, wb::to_string(q.shape()), wb::to_string(k.shape()),
                                         wb::to_string(v.shape()), r < sizes.size() ? sizes[r] : 0, sizes.size()));
    const std::size_t d = k.size(1), dv = v.size(1);
    const int next = static_cast<int>((r + 1) % P), prev = static_cast<int>((r + P - 1) % P);

    RingResult result{wb::empty_partial(sizes[r], dv), {}};
    wb::Tensor held_k = k, held_v = v;  // the block of this step
    for (std::size_t s = 0; s < P; ++s) {
        const std::size_t b = held_block(r, s, P);
        StepReport report{.block = static_cast<double>(b)};

        // Post the next step's transfer first: rank r - 1's block comes in while
        // this one is computed on (MPI reads held_k and held_v, and so do we).
        wb::Tensor next_k, next_v;
        std::vector<MPI_Request> requests;
        if (receives(r, s, P, causal)) {
            const std::size_t rows = sizes[held_block(r, s + 1, P)];
            next_k = wb::zeros({rows, d});
            next_v = wb::zeros({rows, dv});
            requests.resize(requests.size() + 2);
            MPI_Irecv(next_k.data(), static_cast<int>(rows * d), MPI_FLOAT, prev, 0, comm, &requests.end()[-2]);
            MPI_Irecv(next_v.data(), static_cast<int>(rows * dv), MPI_FLOAT, prev, 1, comm, &requests.end()[-1]);
        }
        if (sends(r, s, P, causal)) {
            requests.resize(requests.size() + 2);
            MPI_Isend(held_k.data(), static_cast<int>(held_k.numel()), MPI_FLOAT, next, 0, comm, &requests.end()[-2]);
            MPI_Isend(held_v.data(), static_cast<int>(held_v.numel()), MPI_FLOAT, next, 1, comm, &requests.end()[-1]);
            report.bytes_sent = static_cast<double>(block_bytes(sizes[b], d, dv));
        }

        const double start = MPI_Wtime();
        if (!causal || !skips(r, b)) {
            // the own block (b == r) is the diagonal one, masked inside; earlier blocks are wholly in the past
            result.partial = wb::merge(result.partial, attend_held_block(q, held_k, held_v, causal && b == r));
            report.computed = 1;
        }
        const double computed = MPI_Wtime();
        MPI_Waitall(static_cast<int>(requests.size()), requests.data(), MPI_STATUSES_IGNORE);
        report.compute_s = computed - start;
        report.wait_s = MPI_Wtime() - computed;
        result.steps.push_back(report);

        if (receives(r, s, P, causal)) {
            held_k = std::move(next_k);
            held_v = std::move(next_v);
        }
    }
    return result;
}

wb::Tensor scatter_rows(MPI_Comm comm, const wb::Tensor& all, const std::vector<std::size_t>& sizes,
                        std::size_t width) {
    const std::size_t r = static_cast<std::size_t>(rank_of(comm));
    const std::vector<int> counts = counts_of(sizes, width), displs = displacements_of(counts);
    wb::Tensor mine = wb::zeros({sizes[r], width});
    MPI_Scatterv(r == 0 ? all.data() : nullptr, counts.data(), displs.data(), MPI_FLOAT, mine.data(), counts[r],
                 MPI_FLOAT, 0, comm);
    return mine;
}

wb::Tensor gather_rows(MPI_Comm comm, const wb::Tensor& mine, const std::vector<std::size_t>& sizes) {
    const std::size_t r = static_cast<std::size_t>(rank_of(comm)), width = mine.size(1);
    const std::vector<int> counts = counts_of(sizes, width), displs = displacements_of(counts);
    std::size_t total = 0;
    for (const std::size_t n : sizes) total += n;
    wb::Tensor all = r == 0 ? wb::zeros({total, width}) : wb::Tensor();
    MPI_Gatherv(mine.data(), counts[r], MPI_FLOAT, r == 0 ? all.data() : nullptr, counts.data(), displs.data(),
                MPI_FLOAT, 0, comm);
    return all;
}

std::vector<std::vector<StepReport>> gather_reports(MPI_Comm comm, const std::vector<StepReport>& mine) {
    const std::size_t P = static_cast<std::size_t>(size_of(comm));
    constexpr int kFields = sizeof(StepReport) / sizeof(double);
    std::vector<StepReport> all(rank_of(comm) == 0 ? P * P : 0);
    MPI_Gather(mine.data(), static_cast<int>(P) * kFields, MPI_DOUBLE, all.data(), static_cast<int>(P) * kFields,
               MPI_DOUBLE, 0, comm);
    std::vector<std::vector<StepReport>> by_rank;
    for (std::size_t r = 0; r < all.size() / P; ++r) by_rank.emplace_back(all.begin() + r * P, all.begin() + (r + 1) * P);
    return by_rank;
}

}  // namespace ring
