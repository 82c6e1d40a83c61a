# scripts/ratios.awk — what the benchmark scripts print about alternating rounds, shared.
# median(values, count): the median of values[1..count].
# ratios(ours, theirs, count): the lowest and highest ours[i] / theirs[i], as "low–high×".

function median(values, count,   sorted, i, j, swap) {
    for (i = 1; i <= count; i++) sorted[i] = values[i]
    for (i = 1; i <= count; i++)
        for (j = i + 1; j <= count; j++)
            if (sorted[j] < sorted[i]) { swap = sorted[i]; sorted[i] = sorted[j]; sorted[j] = swap }
    return count % 2 ? sorted[(count + 1) / 2] : (sorted[count / 2] + sorted[count / 2 + 1]) / 2
}

function ratios(ours, theirs, count,   i, ratio, low, high) {
    low = high = ours[1] / theirs[1]
    for (i = 2; i <= count; i++) {
        ratio = ours[i] / theirs[i]
        if (ratio < low) low = ratio
        if (ratio > high) high = ratio
    }
    return sprintf("%.2f–%.2f×", low, high)
}
