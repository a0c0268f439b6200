// Ops: results against plain loops, and the error messages students will read.
#include <cmath>
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/ops.hpp"
#include "lib/random.hpp"

using wb::Tensor;

namespace {

// Runs f, which must throw E; returns the message.
template <typename E, typename F>
std::string message_of(F f) {
    try {
        f();
    } catch (const E& e) {
        return e.what();
    }
    return "<no exception>";
}

// (n x k) @ (k x m) by three loops, in double.
Tensor matmul_by_loops(const Tensor& a, const Tensor& b) {
    Tensor c = wb::zeros({a.size(0), b.size(1)});
    for (std::size_t i = 0; i < a.size(0); ++i)
        for (std::size_t j = 0; j < b.size(1); ++j) {
            double s = 0;
            for (std::size_t k = 0; k < a.size(1); ++k) s += double(a(i, k)) * b(k, j);
            c(i, j) = static_cast<float>(s);
        }
    return c;
}

void check_close(const Tensor& a, const Tensor& b, float tol = 1e-5f) {
    BOOST_TEST_REQUIRE(wb::to_string(a.shape()) == wb::to_string(b.shape()));
    for (std::size_t i = 0; i < a.numel(); ++i) BOOST_TEST(a.values()[i] == b.values()[i], boost::test_tools::tolerance(tol));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ops)

BOOST_AUTO_TEST_CASE(matmul_equals_loops) {
    wb::Generator gen(0);
    const Tensor a = gen.rand({7, 5}), b = gen.rand({5, 4});
    check_close(wb::matmul(a, b), matmul_by_loops(a, b));
}

BOOST_AUTO_TEST_CASE(matmul_with_vectors_follows_torch) {
    const Tensor m = {{1, 2, 3}, {4, 5, 6}};
    const Tensor v = {1, 0, -1};
    BOOST_TEST(wb::to_string(wb::matmul(m, v).shape()) == "[2]");  // mat @ vec
    BOOST_TEST(wb::matmul(m, v)(1) == -2.0f);
    const Tensor u = {1, -1};
    BOOST_TEST(wb::to_string(wb::matmul(u, m).shape()) == "[3]");  // vec @ mat
    BOOST_TEST(wb::matmul(u, m)(2) == -3.0f);
    BOOST_TEST(wb::matmul(v, v).dim() == 0u);  // vec @ vec is a scalar
    BOOST_TEST(wb::matmul(v, v).item() == 2.0f);
}

BOOST_AUTO_TEST_CASE(batched_matmul_broadcasts_the_batch) {
    wb::Generator gen(1);
    const Tensor a = gen.rand({2, 3, 4, 5}), b = gen.rand({5, 2});
    const Tensor c = wb::matmul(a, b);
    BOOST_TEST(wb::to_string(c.shape()) == "[2, 3, 4, 2]");
    const Tensor first = wb::matmul(a.row(1).row(2), b);  // a[1, 2] @ b
    check_close(c.row(1).row(2), first);
    const Tensor d = gen.rand({3, 5, 2});  // batch [2, 3] against [3]
    check_close(wb::matmul(a, d).row(1).row(2), wb::matmul(a.row(1).row(2), d.row(2)));
    const Tensor e = gen.rand({2, 1, 4, 5});  // a batch dimension of size 1 repeats: [2, 1] against [3]
    const Tensor f = wb::matmul(e, d);
    BOOST_TEST(wb::to_string(f.shape()) == "[2, 3, 4, 2]");
    check_close(f.row(1).row(2), wb::matmul(e.row(1).row(0), d.row(2)));
    check_close(f.row(1).row(0), wb::matmul(e.row(1).row(0), d.row(0)));
}

BOOST_AUTO_TEST_CASE(matmul_shape_errors_name_both_shapes) {
    const Tensor a = wb::zeros({6, 3}), b = wb::zeros({2, 2});
    BOOST_TEST(message_of<wb::ShapeError>([&] { wb::matmul(a, b); }) ==
               "matmul: mat1 and mat2 shapes cannot be multiplied (6x3 and 2x2)");
    BOOST_TEST(message_of<wb::ShapeError>([&] { wb::matmul(a, wb::zeros({2})); }) ==
               "matmul: mat and vec shapes cannot be multiplied (6x3 and 2)");
    BOOST_TEST(message_of<wb::ShapeError>([&] { wb::matmul(wb::zeros({2}), a); }) ==
               "matmul: vec and mat shapes cannot be multiplied (2 and 6x3)");
    BOOST_TEST(message_of<wb::ShapeError>([&] { wb::dot(wb::zeros({3}), wb::zeros({2})); }) ==
               "dot: inconsistent tensor size, expected tensor [3] and src [2] to have the same number of elements, "
               "but got 3 and 2 elements respectively");
    BOOST_TEST(message_of<wb::ShapeError>([&] { wb::matmul(wb::zeros({2, 3, 4}), wb::zeros({3, 4, 5})); }) ==
               "matmul: batch dimensions [2] and [3] cannot be broadcast (shapes [2, 3, 4] and [3, 4, 5])");
}

BOOST_AUTO_TEST_CASE(broadcasting_errors_name_both_shapes) {
    BOOST_TEST(message_of<wb::ShapeError>([] { return wb::zeros({6, 3}) + wb::zeros({2}); }) ==
               "add: the size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1 "
               "(shapes [6, 3] and [2])");
    Tensor v = wb::zeros({3});
    BOOST_TEST(message_of<wb::ShapeError>([&] { v += wb::zeros({6, 3}); }) ==
               "add_: output with shape [3] doesn't match the broadcast shape [6, 3]");
}

BOOST_AUTO_TEST_CASE(broadcasting_follows_torch) {
    const Tensor m = {{1, 2, 3}, {4, 5, 6}};
    const Tensor r = m - Tensor{1, 2, 3};
    BOOST_TEST(r(1, 2) == 3.0f);
    const Tensor c = m / wb::sum(m, -1, true);  // (2, 3) / (2, 1)
    BOOST_TEST(c(0, 0) == 1.0f / 6.0f, boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(softmax_is_stable_and_sums_to_one) {
    const Tensor big = {{1000, 1001, 1002}, {-1000, 0, 1000}};
    const Tensor w = wb::softmax(big, -1);
    for (float x : w.values()) BOOST_TEST(std::isfinite(x));
    const Tensor rows = wb::sum(w, 1);
    check_close(rows, Tensor{1, 1});
    // the naive formula overflows on the same scores, which is the lesson's point
    BOOST_TEST(std::isnan(wb::softmax_naive(big, -1)(0, 0)));
    // along dim 0
    check_close(wb::sum(wb::softmax(big, 0), 0), Tensor{1, 1, 1});
}

BOOST_AUTO_TEST_CASE(softmax_of_moderate_scores_equals_the_naive_formula) {
    wb::Generator gen(3);
    const Tensor x = gen.rand({4, 6});
    check_close(wb::softmax(x, -1), wb::softmax_naive(x, -1));
}

BOOST_AUTO_TEST_CASE(dim_out_of_range_says_what_is_accepted) {
    BOOST_TEST(message_of<wb::IndexError>([] { wb::softmax(wb::zeros({2, 3}), 2); }) ==
               "softmax: Dimension out of range (expected to be in range of [-2, 1], but got 2) for a tensor of shape [2, 3]");
}

BOOST_AUTO_TEST_CASE(sums_and_transpose) {
    const Tensor m = {{1, 2, 3}, {4, 5, 6}};
    BOOST_TEST(wb::sum(m).item() == 21.0f);
    check_close(wb::sum(m, 0), Tensor{5, 7, 9});
    check_close(wb::sum(m, -1), Tensor{6, 15});
    BOOST_TEST(wb::to_string(wb::sum(m, 1, true).shape()) == "[2, 1]");
    const Tensor t = wb::T(m);
    BOOST_TEST(wb::to_string(t.shape()) == "[3, 2]");
    BOOST_TEST(t(2, 1) == 6.0f);
    wb::Generator gen(5);
    const Tensor x = gen.rand({2, 3, 4});
    const Tensor y = wb::transpose(x, 1, 2);
    BOOST_TEST(wb::to_string(y.shape()) == "[2, 4, 3]");
    BOOST_TEST(y(1, 3, 2) == x(1, 2, 3));
}

BOOST_AUTO_TEST_CASE(masks) {
    const Tensor ones = wb::ones({3, 3});
    check_close(wb::triu(ones, 1), Tensor{{0, 1, 1}, {0, 0, 1}, {0, 0, 0}});
    check_close(wb::tril(ones), Tensor{{1, 0, 0}, {1, 1, 0}, {1, 1, 1}});
    const Tensor masked = wb::masked_fill(ones, wb::triu(ones, 1), -INFINITY);
    BOOST_TEST(std::isinf(masked(0, 2)));
    BOOST_TEST(masked(2, 0) == 1.0f);
    const Tensor w = wb::softmax(masked, -1);  // the causal pattern of lesson 05
    check_close(w.row(1), Tensor{0.5f, 0.5f, 0.0f});
}

BOOST_AUTO_TEST_CASE(empty_tensors_pass_through) {
    BOOST_TEST(wb::to_string(wb::matmul(wb::zeros({0, 3}), wb::zeros({3, 2})).shape()) == "[0, 2]");
    const Tensor k0 = wb::matmul(wb::zeros({2, 0}), wb::zeros({0, 3}));
    BOOST_TEST(wb::to_string(k0.shape()) == "[2, 3]");
    BOOST_TEST(wb::sum(k0).item() == 0.0f);
    BOOST_TEST(wb::softmax(wb::zeros({0, 4}), -1).numel() == 0u);
    BOOST_TEST(wb::sum(wb::zeros({0})).item() == 0.0f);
    // a batch of 0 against a batch of 1 is a batch of 0, as in torch
    BOOST_TEST(wb::to_string(wb::matmul(wb::zeros({0, 2, 3}), wb::ones({1, 3, 4})).shape()) == "[0, 2, 4]");
    BOOST_TEST(wb::to_string(wb::matmul(wb::ones({1, 2, 3}), wb::zeros({0, 3, 4})).shape()) == "[0, 2, 4]");
    BOOST_CHECK_THROW(wb::masked_fill(Tensor{1.0f}, Tensor(), 0.0f), wb::ShapeError);
    Tensor one = {1.0f};
    BOOST_CHECK_THROW(one += Tensor(), wb::ShapeError);
}

BOOST_AUTO_TEST_CASE(a_shape_too_large_to_count_is_an_error) {
    BOOST_CHECK_THROW(Tensor(wb::Shape{std::size_t{1} << 63, 2}), wb::ShapeError);
}

BOOST_AUTO_TEST_CASE(indexing_errors_name_the_index_and_size) {
    const Tensor m = wb::zeros({6, 3});
    BOOST_TEST(message_of<wb::IndexError>([&] { return m(6, 0); }) ==
               "index 6 is out of bounds for dimension 0 with size 6");
    BOOST_TEST(message_of<wb::IndexError>([&] { return m(1); }) ==
               "a tensor of shape [6, 3] needs 2 indices, but 1 were given");
    BOOST_TEST(message_of<wb::IndexError>([&] { return m.row(9); }) ==
               "index 9 is out of bounds for dimension 0 with size 6");
    BOOST_TEST(message_of<wb::ShapeError>([] { return Tensor{{1, 2}, {3}}; }) ==
               "Tensor: expected sequence of length 2 at row 1 (got 1)");
    BOOST_TEST(message_of<wb::ValueError>([&] { return m.item(); }) ==
               "a Tensor with 18 elements cannot be converted to Scalar");
}

BOOST_AUTO_TEST_SUITE_END()
