import warnings

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    warnings.warn("this is deprecated", DeprecationWarning)
print(len(caught), caught[0].category.__name__, str(caught[0].message))
