def bubble_sort(arr):
    arr = arr[:]
    n = len(arr)
    swaps = 0
    for i in range(n):
        swapped = False
        for j in range(n - i - 1):
            if arr[j] > arr[j + 1]:
                arr[j], arr[j + 1] = arr[j + 1], arr[j]
                swaps += 1
                swapped = True
        if not swapped:
            break
    return arr, swaps


result, swaps = bubble_sort([64, 34, 25, 12, 22, 11, 90])
print("Sorted:", result)
print("Swaps:", swaps)
