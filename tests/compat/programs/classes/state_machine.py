class TrafficLight:
    TRANSITIONS = {"green": "yellow", "yellow": "red", "red": "green"}
    DURATIONS = {"green": 30, "yellow": 5, "red": 20}

    def __init__(self):
        self.state = "red"
        self.elapsed = 0

    def tick(self, seconds: int) -> None:
        self.elapsed += seconds
        while self.elapsed >= self.DURATIONS[self.state]:
            self.elapsed -= self.DURATIONS[self.state]
            self.state = self.TRANSITIONS[self.state]


light = TrafficLight()
for step in [10, 15, 20, 30, 1, 60]:
    light.tick(step)
    print(f"+{step:>2}s -> {light.state:6} ({light.elapsed}s in state)")
