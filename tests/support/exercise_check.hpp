#pragma once
// What the exercise suites use to call a student's code and compare the result,
// and what turns a suite run into `./workbook check NN`'s table.
//
// A test case per exercise, named exercise_N_M, with a description:
//
//   BOOST_AUTO_TEST_CASE(exercise_3_1, *utf::description("attention scores for one query")) {
//       const auto found = wb::testing::attempt([&] { return lesson03::attention_scores(x, 1); });
//       if (found) wb::testing::expect_close(*found, expected, "attention_scores(inputs, 1)");
//   }
//
// Run normally (CTest), a stub's NotImplemented is a failure like any other. Run
// with `-- --report` the binary prints one row per exercise (TODO / PASS / FAIL,
// with expected and found tensors) and exits 0 only when every exercise passes;
// `-- --report --expect=todo` exits 0 only when every exercise is still TODO.
// `--started=FILE` keeps the name of the case running in FILE (and what stopped
// it, on a signal), so the workbook can name the exercise a crash or a hang is in.
#include <optional>
#include <string>

#include "lib/errors.hpp"
#include "lib/reference_file.hpp"
#include "lib/tensor.hpp"

namespace wb::testing {

// data/reference/<file>, read once: the oracle's values for the tests.
const ReferenceFile& reference(const std::string& file);

// Records that the current exercise is not implemented yet (the stub threw).
void mark_todo(const std::string& message);
// Records a failure of the current exercise, with the details a student needs.
void mark_failed(const std::string& details);

// Calls the student's function; a stub's NotImplemented becomes TODO and any other
// exception a failure naming it. Returns the result, or nothing when it threw.
template <typename F>
auto attempt(F&& f) -> std::optional<decltype(f())> {
    try {
        return f();
    } catch (const wb::NotImplemented& e) {
        mark_todo(e.what());
    } catch (const std::exception& e) {
        mark_failed(std::string("your code threw an exception: ") + e.what());
    }
    return std::nullopt;
}

// Checks |found - expected| <= atol + rtol * |expected| element by element (NaN and
// infinities must agree exactly). On a mismatch records both tensors in torch's
// format and the first differing index. Returns whether they matched.
bool expect_close(const Tensor& found, const Tensor& expected, const std::string& what, float atol = 1e-5f,
                  float rtol = 1e-4f);

// Records a failure with `message` unless `condition` holds.
bool expect_true(bool condition, const std::string& message);

}  // namespace wb::testing
