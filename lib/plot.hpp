#pragma once
// Pictures a student would rather look at than read, as SVG files any browser opens.
#include <string>
#include <vector>

namespace wb {

// The training loss as makemore part 3 plots it: log10 of the loss, averaged over
// each hundredth of the steps (one minibatch's loss is too noisy to read).
// Throws DataError naming the file if it cannot be written.
void write_loss_curve(const std::string& path, const std::vector<float>& losses, const std::string& title);

}  // namespace wb
