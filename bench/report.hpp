#pragma once
// One benchmark line: run `f` (which returns a rate) `runs` times, print median, min and max.

#include <algorithm>
#include <cstdio>
#include <vector>

template <class F>
void report(const char* name, const char* unit, int runs, F f) {
    std::vector<double> r;
    for (int i = 0; i < runs; ++i) r.push_back(f());
    std::sort(r.begin(), r.end());
    std::printf("%-26s median %10.2f M %s   (min %.2f, max %.2f, %d runs)\n", name, r[r.size() / 2] / 1e6, unit,
                r.front() / 1e6, r.back() / 1e6, runs);
}
