// Your answers to lesson 06's exercises, for `./workbook run 06 --mine` (lib/yours.hpp):
// the walkthrough compares them with the steps that compute the same.
#include "exercises.hpp"
#include "lib/yours.hpp"

wb::YourExercises wb::your_exercises() {
    YourExercises yours;
    yours.add("6.1", "split_heads", lesson06::split_heads);
    yours.add("6.2", "merge_heads", lesson06::merge_heads);
    yours.add("6.3", "two_dimensional_wrapper", lesson06::two_dimensional_wrapper);
    yours.add("6.4", "gpt2_attention_parameters", lesson06::gpt2_attention_parameters);
    return yours;
}
