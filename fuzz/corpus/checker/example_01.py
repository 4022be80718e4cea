Here is a simple solution:

```python
def is_palindrome(text):
    cleaned = "".join(ch.lower() for ch in text if not ch.isspace())
    return cleaned == cleaned[::-1]
```

It normalises the text first and then compares it with its reverse.