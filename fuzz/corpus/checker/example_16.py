def moving_average(values, window):
    if window <= 0:
        raise ValueError("window must be positive")
    averages = []
    running = 0.0
    for i, value in enumerate(values):
        running += value
        if i >= window:
            running -= values[i - window]
        if i >= window - 1:
            averages.append(running / window)
    return averages