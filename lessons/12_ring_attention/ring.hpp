#pragma once
// Ring attention over MPI (Liu, Zaharia and Abbeel 2023): every rank keeps the
// queries of its block of tokens; the blocks of keys and values travel round the
// ring, one hop a step, and each rank folds every block it is handed into its
// running result with lesson 11's online softmax (attend_block, merge).
#include <cstddef>
#include <vector>

#include <mpi.h>

#include "lib/flash_attention.hpp"
#include "lib/tensor.hpp"
#include "block_kernel.hpp"

namespace ring {

// What one rank did at one step, for the report rank 0 prints (doubles, so that
// every rank's steps gather in one MPI_Gather).
struct StepReport {
    double block = 0;       // the block of keys and values it held
    double computed = 0;    // 1 when it attended to it, 0 when causal skipped it
    double bytes_sent = 0;  // the block passed on to rank + 1 (0: not sent)
    double compute_s = 0;   // attend_block + merge
    double wait_s = 0;      // waiting for the transfer to finish after computing
};

struct RingResult {
    wb::PartialAttention partial;  // this rank's queries over every key they may see
    std::vector<StepReport> steps;
};

// Runs the ring on `comm`: q (n_r, d), k (n_r, d), v (n_r, d_v) are this rank's
// block r of `sizes` (every rank's block sizes, one per rank). At each step the
// next block's transfer is posted (MPI_Irecv from r - 1, MPI_Isend to r + 1)
// before the current one is computed on, so the two overlap; the waiting left
// after the computation is what the transfer did not hide.
RingResult ring_attention(MPI_Comm comm, const wb::Tensor& q, const wb::Tensor& k, const wb::Tensor& v,
                          const std::vector<std::size_t>& sizes, bool causal);

// Rank 0's `all` (T, width) cut into blocks of `sizes` rows, block r to rank r
// (MPI_Scatterv); every rank returns its block.
wb::Tensor scatter_rows(MPI_Comm comm, const wb::Tensor& all, const std::vector<std::size_t>& sizes,
                        std::size_t width);
// The blocks put back together on rank 0 (MPI_Gatherv); an empty Tensor elsewhere.
wb::Tensor gather_rows(MPI_Comm comm, const wb::Tensor& mine, const std::vector<std::size_t>& sizes);
// Every rank's step reports, on rank 0: entry r holds rank r's (MPI_Gather).
std::vector<std::vector<StepReport>> gather_reports(MPI_Comm comm, const std::vector<StepReport>& mine);

}  // namespace ring
