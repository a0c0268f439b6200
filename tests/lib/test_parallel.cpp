// parallel_for: every item exactly once, in chunks that do not depend on the
// thread count; errors come back to the caller; the MLP's numbers are the same on
// one thread and on several.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/gpt.hpp"
#include "lib/optim.hpp"
#include "lib/sequence_dataset.hpp"
#include "lib/mlp.hpp"
#include "lib/ngram_dataset.hpp"
#include "lib/parallel.hpp"
#include "lib/train.hpp"

namespace {

// Restores the thread count a test changed.
struct ThreadCount {
    std::size_t saved = wb::parallel_threads();
    explicit ThreadCount(std::size_t threads) { wb::set_parallel_threads(threads); }
    ~ThreadCount() { wb::set_parallel_threads(saved); }
};

// Whether a parallel_for of two chunks runs them on two threads. Threads take the
// next free chunk, so the caller, done with chunk 0, could take chunk 1 before a
// worker wakes: chunk 0 therefore waits (up to 10 s) until chunk 1 has started.
bool two_threads_run() {
    std::vector<std::thread::id> owner(2);
    std::atomic<bool> second_started{false};
    wb::parallel_for(2, 1, [&](std::size_t begin, std::size_t) {
        owner[begin] = std::this_thread::get_id();
        if (begin == 1) second_started = true;
        for (int i = 0; begin == 0 && !second_started && i < 10000; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
    return owner[0] != owner[1];
}

}  // namespace

BOOST_AUTO_TEST_SUITE(parallel)

BOOST_AUTO_TEST_CASE(every_item_once_in_fixed_chunks) {
    for (std::size_t threads : {1, 2, 3, 5}) {
        ThreadCount count(threads);
        for (std::size_t n : {0, 1, 15, 16, 17, 32, 100, 1001}) {
            // Boost.Test's checks are not thread-safe: the chunks record, the checks come after.
            std::vector<std::atomic<int>> seen(n);
            std::vector<std::thread::id> owner(n);
            std::vector<std::size_t> chunk_end((n + 15) / 16, 0);
            std::atomic<int> calls{0}, misplaced{0};
            wb::parallel_for(n, 16, [&](std::size_t begin, std::size_t end) {
                ++calls;
                if (begin % 16 != 0 || end <= begin) ++misplaced;  // chunks start where they would on one thread
                else chunk_end[begin / 16] = end;
                for (std::size_t i = begin; i < end; ++i) {
                    ++seen[i];
                    owner[i] = std::this_thread::get_id();
                }
            });
            BOOST_CHECK_EQUAL(misplaced.load(), 0);
            BOOST_CHECK_EQUAL(calls.load(), static_cast<int>((n + 15) / 16));
            for (std::size_t c = 0; c < chunk_end.size(); ++c) BOOST_CHECK_EQUAL(chunk_end[c], std::min(n, 16 * c + 16));
            for (std::size_t i = 0; i < n; ++i) BOOST_CHECK_EQUAL(seen[i].load(), 1);
            if (n > 0) BOOST_CHECK(owner[0] == std::this_thread::get_id());  // the caller takes the first chunks
        }
    }
}

BOOST_AUTO_TEST_CASE(more_than_one_thread_really_runs) {
    ThreadCount count(2);
    BOOST_CHECK(two_threads_run());
}

BOOST_AUTO_TEST_CASE(an_exception_reaches_the_caller_and_the_workers_stay_usable) {
    ThreadCount count(2);
    for (const std::size_t failing : {0, 3}) {  // chunk 0 runs on the caller, chunk 3 on either
        BOOST_CHECK_THROW(wb::parallel_for(64, 16,
                                           [failing](std::size_t begin, std::size_t) {
                                               if (begin / 16 == failing) throw std::runtime_error("chunk failed");
                                           }),
                          std::runtime_error);
        // afterwards the workers still take their chunks
        BOOST_CHECK(two_threads_run());
    }
    std::atomic<std::size_t> total{0};
    wb::parallel_for(64, 16, [&](std::size_t begin, std::size_t end) {
        // a parallel_for inside a chunk runs on the thread it is called from
        wb::parallel_for(end - begin, 4, [&](std::size_t b, std::size_t e) { total += e - b; });
    });
    BOOST_CHECK_EQUAL(total.load(), 64u);
}

BOOST_AUTO_TEST_CASE(two_callers_at_once_both_get_every_item) {
    ThreadCount count(2);
    std::atomic<std::size_t> totals[2] = {0, 0};
    std::thread other([&] {
        for (int r = 0; r < 200; ++r) wb::parallel_for(64, 8, [&](std::size_t b, std::size_t e) { totals[1] += e - b; });
    });
    for (int r = 0; r < 200; ++r) wb::parallel_for(64, 8, [&](std::size_t b, std::size_t e) { totals[0] += e - b; });
    other.join();
    BOOST_CHECK_EQUAL(totals[0].load(), 200u * 64u);
    BOOST_CHECK_EQUAL(totals[1].load(), 200u * 64u);
}

BOOST_AUTO_TEST_CASE(a_thread_count_out_of_range_is_refused) {
    BOOST_CHECK_THROW(wb::set_parallel_threads(0), wb::ValueError);
    BOOST_CHECK_THROW(wb::set_parallel_threads(1000), wb::ValueError);
}

// run(threads) trains and returns its losses and weights: they must not differ by a bit
// between 1 thread and 2 or 3.
template <typename Run>
void expect_the_same_on_any_thread_count(const Run& run, const std::string& what) {
    const std::vector<float> one = run(1);
    for (std::size_t threads : {2, 3}) {
        const std::vector<float> many = run(threads);
        BOOST_REQUIRE_EQUAL(one.size(), many.size());
        std::size_t differ = 0;
        for (std::size_t i = 0; i < one.size(); ++i) differ += one[i] != many[i];  // bit for bit
        BOOST_CHECK_MESSAGE(differ == 0, differ << " numbers of " << what << " differ between 1 and " << threads
                                                << " threads");
    }
}

BOOST_AUTO_TEST_CASE(the_mlp_trains_to_the_same_numbers_on_any_thread_count) {
    // 40 contexts and 130 hidden units: more than one chunk of rows and of units
    std::vector<std::string> words;
    for (const char* w : {"emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia"}) words.push_back(w);
    const wb::NgramDataset data = wb::build_dataset(words, 3);
    const auto run = [&](std::size_t threads) {
        ThreadCount count(threads);
        wb::Generator g(7);
        wb::MLP model(wb::MLPConfig{27, 3, 4, 130}, g);
        wb::TrainOptions options;
        options.steps = 20;
        options.batch_size = 40;
        options.print_every = 0;
        options.progress = false;
        std::vector<float> result = wb::train(model, data, g, options).losses;
        result.push_back(model.evaluate(data));
        for (wb::Tensor* p : model.parameters()) result.insert(result.end(), p->data(), p->data() + p->numel());
        return result;
    };
    expect_the_same_on_any_thread_count(run, "the MLP");
}

BOOST_AUTO_TEST_CASE(the_gpt_trains_to_the_same_numbers_on_any_thread_count) {
    // 40 rows of 10 tokens: 400 rows for the linear layers (7 chunks of 64), 10 chunks
    // of batch rows for attention; dense and with experts
    std::vector<std::string> words;
    for (const char* w : {"emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia"}) words.push_back(w);
    const wb::SequenceDataset rows = wb::build_sequences(words, 10);
    for (const std::size_t experts : {0, 4}) {
        const auto run = [&](std::size_t threads) {
            ThreadCount count(threads);
            wb::Generator g(7), batches(8);
            wb::GPTConfig cfg;
            cfg.context_length = 10;
            cfg.emb_dim = 16;
            cfg.n_layers = 2;
            cfg.num_experts = experts;
            cfg.expert_hidden = 24;
            wb::GPTModel model(cfg, g);
            wb::AdamW adamw(model.parameters(), model.gradients());
            wb::TrainOptions options;
            options.steps = 5;
            options.batch_size = 40;
            options.print_every = 0;
            options.progress = false;
            std::vector<float> result = wb::train(model, rows, batches, options, adamw).losses;
            for (wb::Tensor* p : model.parameters()) result.insert(result.end(), p->data(), p->data() + p->numel());
            return result;
        };
        expect_the_same_on_any_thread_count(run, "the GPT with " + std::to_string(experts) + " experts");
    }
}

BOOST_AUTO_TEST_SUITE_END()
