#pragma once
// The exceptions the workbook throws. Each message says what was wrong and what
// would have been accepted, so a student never has to read a stack trace.
#include <stdexcept>
#include <string>

namespace wb {

// Two tensors whose shapes do not fit the operation, e.g.
// "matmul: mat1 and mat2 shapes cannot be multiplied (6x3 and 2x2)".
struct ShapeError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// An index outside a tensor, e.g. "index 6 is out of bounds for dimension 0 with size 6".
struct IndexError : std::out_of_range {
    using std::out_of_range::out_of_range;
};

// A value the operation cannot use (NaN where a number is needed, an empty tensor...).
struct ValueError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

// A data file that is missing or malformed; the message names the file and line.
struct DataError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Thrown by an exercise stub the student has not written yet. `./workbook check`
// reports it as TODO rather than as a failure.
struct NotImplemented : std::logic_error {
    NotImplemented(const std::string& exercise, const std::string& file)
        : std::logic_error("not implemented yet: exercise " + exercise + ", edit " + file),
          exercise(exercise) {}
    std::string exercise;
};

}  // namespace wb
