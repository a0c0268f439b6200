#pragma once
// Names from a trained GPTModel, a character at a time, as makemore samples from its
// transformer:
//
//   idx = [0]                                   # '.', the start
//   while True:
//       logits = model(idx)[:, -1, :]           # only the last position's prediction
//       ix = torch.multinomial(F.softmax(logits, -1), 1, generator=g)
//       if ix == 0: break                       # '.', the end
//       idx = torch.cat((idx, ix), dim=1)
//
// Unlike lesson 02's MLP, which sees the last three characters, the model reads the
// whole name so far at every step, up to its context length.
#include <string>

#include "lib/gpt.hpp"
#include "lib/random.hpp"

namespace wb {

// One name, ending in '.' (as sample_word's), or cut at the context length.
std::string sample_word(GPTModel& model, Generator& g);

}  // namespace wb
