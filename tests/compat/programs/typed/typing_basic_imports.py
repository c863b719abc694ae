from typing import Any, Dict, List, Optional, Tuple, Union


def summarize(values: List[float], label: Optional[str] = None) -> Dict[str, Any]:
    result: Dict[str, Any] = {"n": len(values), "sum": sum(values)}
    if label:
        result["label"] = label
    return result


def parse(value: Union[str, int]) -> Tuple[str, int]:
    return (str(value), int(value))


print(summarize([1.5, 2.5], "test"))
print(summarize([]))
print(parse("42"), parse(7))
