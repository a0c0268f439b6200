#include "lib/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <thread>
#include <vector>

#include <fmt/format.h>

namespace wb {
namespace {

// Set while a thread runs chunks: a parallel_for inside one runs serially.
thread_local bool inside_chunk = false;
// Taken by the thread whose parallel_for has the workers; another thread's runs serially.
std::atomic_flag workers_busy;

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();  // lets the other hyper-thread run, and saves power
#endif
}

// Waits until `value` differs from `old`: spins first (a training step comes back
// within microseconds), then sleeps in the kernel so an idle lesson costs no CPU.
// `sleepers` counts who sleeps, so the waker makes a system call only when needed.
template <class T>
void wait_for_change(const std::atomic<T>& value, T old, std::atomic<int>& sleepers) {
    constexpr auto spin_for = std::chrono::microseconds(200);
    const auto start = std::chrono::steady_clock::now();
    for (unsigned i = 1;; ++i) {
        if (value.load(std::memory_order_acquire) != old) return;
        cpu_relax();
        if (i % 256 == 0 && std::chrono::steady_clock::now() - start > spin_for) break;
    }
    sleepers.fetch_add(1);
    value.wait(old);  // returns at once if value has changed since
    sleepers.fetch_sub(1);
}

template <class T>
void wake(std::atomic<T>& value, const std::atomic<int>& sleepers) {
    if (sleepers.load() > 0) value.notify_all();
}

// One parallel_for: n items in chunks of `chunk`; thread t of `threads` takes a
// contiguous run of chunks and calls the body once per chunk.
struct Job {
    detail::ChunkFunction function = nullptr;
    const void* body = nullptr;
    std::size_t n = 0, chunk = 1, threads = 1;

    std::size_t chunks() const { return (n + chunk - 1) / chunk; }
    void run(std::size_t thread) const {
        const std::size_t first = chunks() * thread / threads, last = chunks() * (thread + 1) / threads;
        inside_chunk = true;
        for (std::size_t c = first; c < last; ++c) function(body, c * chunk, std::min(n, (c + 1) * chunk));
        inside_chunk = false;
    }
};

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
    ~WorkerPool() {
        stop_ = true;
        generation_.fetch_add(1);
        generation_.notify_all();
        for (auto& t : threads_) t.join();
    }

    // Hands threads 1 .. job.threads-1 of the job to the workers.
    void start(const Job& job) {
        job_ = job;  // written before generation_ moves, read by workers after they see it move
        pending_.store(static_cast<int>(threads_.size()));
        generation_.fetch_add(1);
        wake(generation_, sleepers_);
    }
    // Returns when every worker has finished its part.
    void finish() {
        for (int left = pending_.load(std::memory_order_acquire); left != 0;
             left = pending_.load(std::memory_order_acquire))
            wait_for_change(pending_, left, sleepers_);
    }

private:
    void work(std::size_t thread, std::uint64_t seen) {
        for (;;) {
            wait_for_change(generation_, seen, sleepers_);
            seen = generation_.load(std::memory_order_acquire);
            if (stop_) return;
            if (thread < job_.threads) job_.run(thread);
            pending_.fetch_sub(1, std::memory_order_acq_rel);
            wake(pending_, sleepers_);
        }
    }

    std::vector<std::thread> threads_;
    std::atomic<std::uint64_t> generation_{0};
    std::atomic<int> pending_{0};
    std::atomic<int> sleepers_{0};
    std::atomic<bool> stop_{false};
    Job job_;
};

}  // namespace

namespace {

std::size_t threads_from_environment() {
    const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
    const char* env = std::getenv("WB_THREADS");
    if (env == nullptr) return cores;
    char* end = nullptr;
    const long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n >= 1 && n <= 256) return static_cast<std::size_t>(n);
    fmt::print(stderr, "WB_THREADS={} ignored: it takes a whole number from 1 to 256; using {}\n", env, cores);
    return cores;
}

std::atomic<std::size_t>& thread_count() {
    static std::atomic<std::size_t> threads{threads_from_environment()};
    return threads;
}

WorkerPool& pool() {
    static WorkerPool workers;
    return workers;
}

}  // namespace

std::size_t parallel_threads() { return thread_count().load(); }

void set_parallel_threads(std::size_t threads) { thread_count() = std::clamp<std::size_t>(threads, 1, 256); }

namespace detail {

void parallel_run(std::size_t n, std::size_t chunk, ChunkFunction function, const void* body) {
    Job job{function, body, n, std::max<std::size_t>(1, chunk), 1};
    job.threads = std::min(parallel_threads(), job.chunks());
    if (job.threads <= 1 || inside_chunk || workers_busy.test_and_set(std::memory_order_acquire)) {
        job.threads = 1;
        job.run(0);
        return;
    }
    WorkerPool& workers = pool();
    workers.ensure(job.threads - 1);
    workers.start(job);
    std::exception_ptr error;
    try {
        job.run(0);
    } catch (...) {
        inside_chunk = false;
        error = std::current_exception();  // the workers still use the body: wait for them first
    }
    workers.finish();
    workers_busy.clear(std::memory_order_release);
    if (error) std::rethrow_exception(error);
}

}  // namespace detail
}  // namespace wb
