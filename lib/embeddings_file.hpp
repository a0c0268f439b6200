#pragma once
// Reads token embeddings from a text file, for a lesson's --inputs flag:
//
//   # "Your journey starts with one step" (lines starting with # are comments)
//   Your     0.43 0.15 0.89
//   journey  0.55 0.87 0.66
//
// One embedding per line: an optional token, then the numbers (separated by spaces
// or commas). Every row needs the same number of values. A missing file, a ragged
// row or a value that is not a finite number throws DataError naming file and line.
#include <string>
#include <vector>

#include "lib/tensor.hpp"

namespace wb {

struct Embeddings {
    std::vector<std::string> tokens;  // one per row; "x(1)", "x(2)", ... where the file gives none
    Tensor vectors;                   // (rows, dimension)
};

Embeddings read_embeddings(const std::string& path);

}  // namespace wb
