nums = list(range(10))
print(nums[2:5], nums[:3], nums[-3:], nums[::2], nums[1::3], nums[::-1], nums[-2:2:-2])
nums[2:4] = ["a", "b", "c"]
print(nums)
del nums[::3]
print(nums)
t = tuple(range(8))
print(t[::-2], t[1:-1:3])
