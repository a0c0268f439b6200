// The torch-compatible generator against torch's own draws (data/reference/rng.txt):
// torch.rand and nn.Linear's default init, bit for bit, for several seeds and shapes.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/dropout.hpp"
#include "lib/errors.hpp"
#include "lib/linear.hpp"
#include "lib/python_random.hpp"
#include "lib/random.hpp"
#include "lib/reference_file.hpp"

namespace {

const wb::ReferenceFile& draws() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/rng.txt");
    return file;
}

wb::Shape ints(const std::string& s) {
    wb::Shape out;
    for (std::size_t pos = 0; pos < s.size();) {
        const std::size_t end = s.find(' ', pos);
        out.push_back(std::stoul(s.substr(pos, end - pos)));
        pos = end == std::string::npos ? s.size() : end + 1;
    }
    return out;
}

// Bitwise equality, so -0.0 vs 0.0 or a 1-ulp difference fails.
void check_bits(const std::vector<float>& ours, const wb::ReferenceRecord& r) {
    const wb::Tensor expected = r.tensor();
    BOOST_TEST_REQUIRE(ours.size() == expected.numel(), "[" << r.name << "] drew a different number of values");
    for (std::size_t i = 0; i < ours.size(); ++i)
        if (std::memcmp(&ours[i], &expected.values()[i], sizeof(float)) != 0) {
            BOOST_ERROR("[" << r.name << "] differs from torch at element " << i << ": " << ours[i] << " vs "
                            << expected.values()[i]);
            return;
        }
}

int check_op(const std::string& op) {
    int n = 0;
    for (const wb::ReferenceRecord& r : draws().records()) {
        if (r.field("op") != op) continue;
        wb::Generator gen(static_cast<std::uint64_t>(r.integer("seed")));
        std::vector<float> ours;
        for (std::int64_t k = 0; k < r.integer("repeat"); ++k) {
            if (op == "rand" || op == "randn") {
                const wb::Shape shape = ints(r.field("call_shape"));
                const wb::Tensor t = op == "rand" ? gen.rand(shape) : gen.randn(shape);
                ours.insert(ours.end(), t.values().begin(), t.values().end());
            } else {
                const wb::Linear layer(r.integer("in_features"), r.integer("out_features"), r.integer("bias") != 0, gen);
                ours.insert(ours.end(), layer.weight.values().begin(), layer.weight.values().end());
                if (layer.has_bias) ours.insert(ours.end(), layer.bias.values().begin(), layer.bias.values().end());
            }
        }
        check_bits(ours, r);
        ++n;
    }
    return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(random_numbers)

BOOST_AUTO_TEST_CASE(rand_matches_torch_bit_for_bit) { BOOST_TEST(check_op("rand") >= 30); }

BOOST_AUTO_TEST_CASE(linear_init_matches_torch_bit_for_bit) { BOOST_TEST(check_op("linear") >= 20); }

BOOST_AUTO_TEST_CASE(randn_matches_torch_below_and_above_16_elements) {
    BOOST_TEST(check_op("randn") >= 15);
}

// torch's portable Bernoulli path (the book's dropout masks), including what p = 0
// and p = 1 leave of the stream for the next draw.
BOOST_AUTO_TEST_CASE(bernoulli_and_dropout_match_torch_bit_for_bit) {
    int n = 0;
    for (const wb::ReferenceRecord& r : draws().records()) {
        const std::string op = r.field("op");
        if (op != "bernoulli" && op != "dropout" && op != "dropout_then_rand") continue;
        wb::Generator gen(static_cast<std::uint64_t>(r.integer("seed")));
        const double p = std::stod(r.field("p"));
        const wb::Shape shape = ints(r.field("call_shape"));
        std::vector<float> ours;
        const auto append = [&](const wb::Tensor& t) { ours.insert(ours.end(), t.values().begin(), t.values().end()); };
        if (op == "bernoulli") {
            append(gen.bernoulli(shape, p));
        } else {
            wb::Dropout dropout(p);
            const std::int64_t repeat = op == "dropout" ? r.integer("repeat") : 1;
            for (std::int64_t k = 0; k < repeat; ++k) append(dropout.forward(wb::ones(shape), gen));
            if (op == "dropout_then_rand") append(gen.rand({4}));
        }
        check_bits(ours, r);
        ++n;
    }
    BOOST_TEST(n >= 30);
}

namespace {
wb::Tensor weights(const wb::ReferenceRecord& r) {
    std::vector<float> w;
    std::string s = r.field("probs");
    for (std::size_t pos = 0; pos < s.size();) {
        const std::size_t end = s.find(' ', pos);
        w.push_back(std::strtof(s.substr(pos, end - pos).c_str(), nullptr));
        pos = end == std::string::npos ? s.size() : end + 1;
    }
    return wb::Tensor(wb::Shape{w.size()}, w);
}
}  // namespace

BOOST_AUTO_TEST_CASE(multinomial_matches_torch) {
    int n = 0;
    for (const wb::ReferenceRecord& r : draws().records()) {
        const std::string op = r.field("op");
        if (op != "multinomial" && op != "multinomial_sequence") continue;
        wb::Generator gen(static_cast<std::uint64_t>(r.integer("seed")));
        std::vector<std::int64_t> ours;
        if (op == "multinomial") {
            ours = gen.multinomial(weights(r), static_cast<std::size_t>(r.integer("num_samples")));
        } else {
            for (std::int64_t k = 0; k < r.integer("draws"); ++k) ours.push_back(gen.multinomial(weights(r), 1)[0]);
        }
        BOOST_TEST(ours == r.int_values(), boost::test_tools::per_element());
        ++n;
    }
    BOOST_TEST(n >= 6);
}

BOOST_AUTO_TEST_CASE(multinomial_rejects_weights_it_cannot_draw_from) {
    wb::Generator gen(0);
    BOOST_CHECK_THROW(gen.multinomial(wb::Tensor{0.0f, 0.0f}, 1), wb::ValueError);
    BOOST_CHECK_THROW(gen.multinomial(wb::Tensor{1.0f, -0.5f}, 1), wb::ValueError);
    BOOST_CHECK_THROW(gen.multinomial(wb::Tensor{1.0f, NAN}, 1), wb::ValueError);
    BOOST_CHECK_THROW(gen.multinomial(wb::zeros({2, 2}), 1), wb::ShapeError);
}

BOOST_AUTO_TEST_CASE(randint_matches_torch) {
    int n = 0;
    for (const wb::ReferenceRecord& r : draws().records()) {
        if (r.field("op") != "randint") continue;
        wb::Generator gen(static_cast<std::uint64_t>(r.integer("seed")));
        const auto ours = gen.randint(r.integer("low"), r.integer("high"), static_cast<std::size_t>(r.integer("n")));
        BOOST_TEST(ours == r.int_values(), boost::test_tools::per_element());
        ++n;
    }
    BOOST_TEST(n >= 6);
}

BOOST_AUTO_TEST_CASE(randint_rejects_an_empty_range) {
    wb::Generator gen(0);
    BOOST_CHECK_THROW(gen.randint(3, 3, 1), wb::ValueError);
}

BOOST_AUTO_TEST_CASE(python_shuffle_matches_python) {
    int n = 0;
    for (const wb::ReferenceRecord& r : draws().records()) {
        const std::string op = r.field("op");
        if (op != "python_shuffle" && op != "python_randbelow") continue;
        wb::PythonRandom random(static_cast<std::uint64_t>(r.integer("seed")));
        std::vector<std::int64_t> ours;
        if (op == "python_shuffle") {
            for (std::int64_t i = 0; i < r.integer("n"); ++i) ours.push_back(i);
            random.shuffle(ours);
        } else {
            for (std::int64_t k = 0; k < r.integer("count"); ++k)
                ours.push_back(static_cast<std::int64_t>(random.randbelow(static_cast<std::uint64_t>(r.integer("n")))));
        }
        BOOST_TEST(ours == r.int_values(), boost::test_tools::per_element());
        ++n;
    }
    BOOST_TEST(n >= 14);
}

BOOST_AUTO_TEST_CASE(the_books_first_weights) {
    // torch.manual_seed(123); torch.rand(3, 2) starts 0.2961, 0.5166 (the book's W_query)
    wb::Generator gen(123);
    const wb::Tensor w = gen.rand({3, 2});
    const wb::ReferenceRecord& r = draws()["rand_seed123_3x2"];
    check_bits(w.values(), r);
}

BOOST_AUTO_TEST_CASE(a_seed_is_taken_modulo_2_to_the_32) {
    wb::Generator a(4294967295ULL), b(4294967295ULL + (1ULL << 32));
    BOOST_TEST(a.random() == b.random());
}

BOOST_AUTO_TEST_CASE(linear_bounds_are_computed_in_double_as_torch_does) {
    // kaiming_uniform_(a=sqrt(5)) and 1/sqrt(fan_in) agree on paper but not in the last bit
    BOOST_TEST(wb::linear_weight_bound(3) != wb::linear_bias_bound(3));
    BOOST_TEST(std::abs(wb::linear_weight_bound(3) - wb::linear_bias_bound(3)) < 1e-15);
}

BOOST_AUTO_TEST_SUITE_END()
