#include "lib/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "lib/errors.hpp"

// OpenBLAS's thread count (see SingleThreadedBlas); null when the BLAS is another.
extern "C" {
int openblas_get_num_threads() __attribute__((weak));
void openblas_set_num_threads(int threads) __attribute__((weak));
}

namespace wb {
namespace {

// Set while a thread runs chunks: a parallel_for inside one runs serially.
thread_local bool inside_chunk = false;

// Read once: hardware_concurrency asks the kernel, which costs microseconds.
std::size_t cores() {
    static const std::size_t n = std::max(1u, std::thread::hardware_concurrency());
    return n;
}

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();  // lets the other hyper-thread run, and saves power
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

// Waits until `value` differs from `old`: spins first (a training step comes back
// within microseconds), then sleeps in the kernel so an idle lesson costs no CPU.
// `sleepers` counts who sleeps, so the waker makes a system call only when needed.
// With more threads than cores a spinning thread would hold a core another needs,
// so it yields instead.
template <class T>
void wait_for_change(const std::atomic<T>& value, T old, std::atomic<int>& sleepers, bool oversubscribed) {
    constexpr auto spin_for = std::chrono::microseconds(200);
    const auto start = std::chrono::steady_clock::now();
    for (unsigned i = 1;; ++i) {
        if (value.load(std::memory_order_acquire) != old) return;
        if (oversubscribed) std::this_thread::yield();
        else cpu_relax();
        if (i % 256 == 0 && std::chrono::steady_clock::now() - start > spin_for) break;
    }
    // seq_cst on both sides of the handshake (sleepers here, value in the waker), so
    // either the waker sees a sleeper or this thread sees the new value.
    sleepers.fetch_add(1);
    value.wait(old);  // returns at once if value has changed since
    sleepers.fetch_sub(1);
}

template <class T>
void wake(std::atomic<T>& value, const std::atomic<int>& sleepers) {
    if (sleepers.load() > 0) value.notify_all();
}

// Marks the current thread as running chunks, and restores what it was on exit
// (also when a chunk throws, and after a nested serial call).
class InsideChunk {
public:
    InsideChunk() : saved_(inside_chunk) { inside_chunk = true; }
    ~InsideChunk() { inside_chunk = saved_; }
    InsideChunk(const InsideChunk&) = delete;
    InsideChunk& operator=(const InsideChunk&) = delete;

private:
    bool saved_;
};

// One parallel_for: n items in chunks of `chunk`, for `threads` threads.
struct Job {
    detail::ChunkFunction function = nullptr;
    const void* body = nullptr;
    std::size_t n = 0, chunk = 1, threads = 1;

    std::size_t chunks() const { return (n + chunk - 1) / chunk; }
    void run_chunk(std::size_t c) const { function(body, c * chunk, std::min(n, (c + 1) * chunk)); }
};

// The generation word carries the job's thread count in its low bits, so a worker
// that sits a job out knows it without reading the job (which the next run()
// may already be rewriting).
constexpr std::uint64_t kThreadBits = 16;
constexpr std::uint64_t kThreadMask = (std::uint64_t{1} << kThreadBits) - 1;

// The claim word says which job (its low 24 bits), how many chunks it has and which
// is the next one nobody has taken (20 bits each). Taking a chunk is one
// compare-and-swap on it: a worker that wakes late, when its job is over, finds
// another job's number and takes nothing (and never reads the job it missed).
constexpr std::uint64_t kChunkBits = 20;
constexpr std::uint64_t kChunkMask = (std::uint64_t{1} << kChunkBits) - 1;
constexpr std::uint64_t kJobMask = (std::uint64_t{1} << (64 - 2 * kChunkBits)) - 1;
constexpr std::size_t kMaxChunks = kChunkMask;  // more run on the caller alone

std::uint64_t claim_word(std::uint64_t job, std::uint64_t chunks, std::uint64_t next) {
    return (job & kJobMask) << (2 * kChunkBits) | chunks << kChunkBits | next;
}

// Threads take chunks one at a time, the next free one, rather than a share fixed in
// advance. On a machine shared with other programs a worker may not get its core for
// milliseconds; with fixed shares every parallel_for waited for it (a GPT training
// step went from 13 to 46 ms while another program was busy), now the caller takes
// the chunks the worker has not started. Which thread runs a chunk does not change
// its numbers.
class WorkerPool {
public:
    // Makes sure there are at least `workers` workers; only between jobs.
    void ensure(std::size_t workers) {
        while (threads_.size() < workers) {
            const std::size_t thread = threads_.size() + 1;
            const std::uint64_t now = generation_.load();
            threads_.emplace_back([this, thread, now] { work(thread, now); });
        }
    }

    // Runs the job's chunks on the calling thread (chunk 0 first) and on whichever
    // workers join; returns when all are done and rethrows the first exception a
    // chunk threw.
    void run(const Job& job) {
        job_ = job;  // written before the words below move, read by workers after they see them move
        error_ = nullptr;
        oversubscribed_ = job.threads > cores();
        const std::size_t chunks = job.chunks();
        done_.store(0);
        counter_ += 1;
        claim_.store(claim_word(counter_, chunks, 1));  // chunk 0 is the caller's
        generation_.store(counter_ << kThreadBits | job.threads);
        wake(generation_, sleepers_);
        run_chunk(0, chunks);
        take_chunks(counter_ & kJobMask);
        for (std::size_t done = done_.load(); done != chunks; done = done_.load())
            wait_for_change(done_, done, sleepers_, oversubscribed_);
        if (error_) std::rethrow_exception(error_);
    }

private:
    // Takes and runs the next free chunk of job `id` until there is none left.
    void take_chunks(std::uint64_t id) {
        std::uint64_t word = claim_.load();
        for (;;) {
            const std::uint64_t chunks = word >> kChunkBits & kChunkMask, next = word & kChunkMask;
            if ((word >> (2 * kChunkBits)) != id || next >= chunks) return;
            if (claim_.compare_exchange_weak(word, word + 1)) {  // chunk `next` is ours
                run_chunk(next, chunks);
                word = claim_.load();
            }
        }
    }

    // The job cannot end before this chunk is counted, so job_ is still this job's;
    // after the count it may not be, and is not read again.
    void run_chunk(std::size_t c, std::size_t chunks) {
        try {
            const InsideChunk mark;
            job_.run_chunk(c);
        } catch (...) {
            const std::lock_guard lock(error_mutex_);
            if (!error_) error_ = std::current_exception();
        }
        if (done_.fetch_add(1) + 1 == chunks) wake(done_, sleepers_);
    }

    void work(std::size_t thread, std::uint64_t seen) {
        for (;;) {
            wait_for_change(generation_, seen, sleepers_, oversubscribed_);
            seen = generation_.load(std::memory_order_acquire);
            if (thread >= (seen & kThreadMask)) continue;  // not in this job
            take_chunks(seen >> kThreadBits & kJobMask);
        }
    }

    // The pool lives until the process ends (it is never destroyed), so a
    // parallel_for in a static destructor still finds it.
    std::vector<std::thread> threads_;
    std::atomic<std::uint64_t> generation_{0};
    std::atomic<std::uint64_t> claim_{0};
    std::uint64_t counter_ = 0;
    std::atomic<std::size_t> done_{0};
    std::atomic<int> sleepers_{0};
    std::atomic<bool> oversubscribed_{false};
    std::mutex error_mutex_;
    std::exception_ptr error_;
    Job job_;
};

std::size_t threads_from_environment() {
    const char* env = std::getenv("WB_THREADS");
    if (env == nullptr) return cores();
    char* end = nullptr;
    const long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n >= 1 && n <= 256) return static_cast<std::size_t>(n);
    fmt::print(stderr, "WB_THREADS={} ignored: it takes a whole number from 1 to 256; using {}\n", env, cores());
    return cores();
}

std::atomic<std::size_t>& thread_count() {
    static std::atomic<std::size_t> threads{threads_from_environment()};
    return threads;
}

WorkerPool& pool() {
    static WorkerPool& workers = *new WorkerPool;  // never destroyed: see WorkerPool
    return workers;
}

// Held by the thread whose parallel_for has the workers; another thread's runs serially.
std::atomic_flag workers_busy;

class WorkersTaken {
public:
    WorkersTaken() : taken_(!workers_busy.test_and_set(std::memory_order_acquire)) {}
    ~WorkersTaken() {
        if (taken_) workers_busy.clear(std::memory_order_release);
    }
    WorkersTaken(const WorkersTaken&) = delete;
    WorkersTaken& operator=(const WorkersTaken&) = delete;
    bool taken() const { return taken_; }

private:
    bool taken_;
};

// OpenBLAS starts threads of its own for a product above about 260,000
// multiply-adds, and after each one they spin in sched_yield, waiting for more.
// Inside our chunks both cores are already busy: two pools on two cores fight (in
// a GPT training step, 18% of the time went to sched_yield). So inside a
// parallel_for a BLAS call runs on the thread that makes it, as any loop would;
// outside, OpenBLAS uses its threads as before. The functions are declared weak
// (at the top): with another BLAS they are null, and this does nothing.
class SingleThreadedBlas {
public:
    SingleThreadedBlas() : saved_(openblas_get_num_threads ? openblas_get_num_threads() : 1) {
        if (saved_ > 1 && openblas_set_num_threads) openblas_set_num_threads(1);
    }
    ~SingleThreadedBlas() {
        if (saved_ > 1 && openblas_set_num_threads) openblas_set_num_threads(saved_);
    }
    SingleThreadedBlas(const SingleThreadedBlas&) = delete;
    SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

private:
    int saved_;
};

}  // namespace

std::size_t parallel_threads() { return thread_count().load(); }

void set_parallel_threads(std::size_t threads) {
    if (threads < 1 || threads > 256)
        throw ValueError(fmt::format("set_parallel_threads: {} threads; it takes 1 to 256", threads));
    thread_count() = threads;
}

namespace detail {

void parallel_run(std::size_t n, std::size_t chunk, ChunkFunction function, const void* body) {
    Job job{function, body, n, std::max<std::size_t>(1, chunk), 1};
    job.threads = std::min(parallel_threads(), job.chunks());
    const auto serially = [&job] {
        const InsideChunk mark;
        for (std::size_t c = 0; c < job.chunks(); ++c) job.run_chunk(c);
    };
    if (inside_chunk) return serially();  // the outer parallel_for has set everything up
    // A product inside a chunk runs on one thread also when the job is too small to
    // share: a mixture of experts runs one 64-row chunk per expert, and OpenBLAS
    // would wake its own threads for it.
    const SingleThreadedBlas one_blas_thread;
    if (job.threads <= 1 || job.chunks() > kMaxChunks) return serially();
    const WorkersTaken workers_taken;
    if (!workers_taken.taken()) return serially();  // another thread's parallel_for has the workers
    WorkerPool& workers = pool();
    workers.ensure(job.threads - 1);
    workers.run(job);
}

}  // namespace detail
}  // namespace wb
