#pragma once
// Work split over the machine's cores, for the few loops big enough to pay for it
// (the MLP's training step: 2.2 MFLOP, about 30 us on one core).
//
//   parallel_for(B, 16, [&](std::size_t begin, std::size_t end) { ... rows [begin, end) ... });
//
// The range [0, n) is cut into chunks of `chunk` items (the last may be shorter)
// and the body is called once per chunk. The calling thread takes the first chunk,
// then every thread takes the next chunk nobody has taken until none is left: a
// worker slow to get its core (on a machine shared with other programs) does not
// hold the caller up, the caller runs the chunks itself. Workers stay alive between
// calls: they spin for a short while (a training step comes back within
// microseconds, and waking a sleeping thread costs about as much as a step), then
// sleep. Inside a parallel_for, OpenBLAS runs on the calling thread (no pool of its
// own competing for the cores).
//
// Why chunks of a fixed size rather than one part per core: BLAS rounds a 16-row
// product differently from a 32-row one, so the numbers would depend on the core
// count. With fixed chunks, a chunk is computed the same way whichever thread runs
// it: same seed, same numbers, on one core or many.
//
// The body must write only its own chunk's outputs. WB_THREADS=n in the
// environment sets the number of threads (1: no workers).
#include <cstddef>
#include <type_traits>

namespace wb {

// How many threads parallel_for uses: WB_THREADS, else the number of cores.
std::size_t parallel_threads();
// Uses `threads` threads from now on (1 to 256): benchmarks compare one core with
// all, tests check that the numbers do not change with the count.
void set_parallel_threads(std::size_t threads);

namespace detail {
using ChunkFunction = void (*)(const void* body, std::size_t begin, std::size_t end);
void parallel_run(std::size_t n, std::size_t chunk, ChunkFunction function, const void* body);
}  // namespace detail

// Calls body(begin, end) for each chunk [begin, end) of [0, n), in parallel, and
// returns when all are done. An exception from a chunk is rethrown here.
template <class Body>
void parallel_for(std::size_t n, std::size_t chunk, const Body& body) {
    static_assert(std::is_invocable_v<const Body&, std::size_t, std::size_t>);
    detail::parallel_run(
        n, chunk,
        [](const void* b, std::size_t begin, std::size_t end) { (*static_cast<const Body*>(b))(begin, end); },
        &body);
}

}  // namespace wb
