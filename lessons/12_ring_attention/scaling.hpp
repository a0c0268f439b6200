#pragma once
// Lesson 12's --scaling: the ring's time on 1, 2, 4 ... of the ranks mpirun
// started, against lib's flash_attention in one process; measured on this
// machine, so never part of the golden output.
#include <cstddef>

namespace ring {

// Every rank calls it; rank 0 prints the table. The ranks not in a run wait
// without spinning (a waiting MPI rank otherwise keeps a core busy).
void show_scaling(std::size_t tokens, std::size_t dim, bool causal);

}  // namespace ring
