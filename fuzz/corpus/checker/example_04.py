from collections import Counter


def top_words(text, n=3):
    words = [w.strip(".,!?").lower() for w in text.split()]
    counts = Counter(w for w in words if w)
    return counts.most_common(n)