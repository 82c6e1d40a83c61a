extension PoliceDistrict {
    /// The 22 police districts, in number order, as in `police_districts.csv` beside this file.
    public static let all: [PoliceDistrict] = [
        PoliceDistrict(number: 1, name: "Central"),
        PoliceDistrict(number: 2, name: "Wentworth"),
        PoliceDistrict(number: 3, name: "Grand Crossing"),
        PoliceDistrict(number: 4, name: "South Chicago"),
        PoliceDistrict(number: 5, name: "Calumet"),
        PoliceDistrict(number: 6, name: "Gresham"),
        PoliceDistrict(number: 7, name: "Englewood"),
        PoliceDistrict(number: 8, name: "Chicago Lawn"),
        PoliceDistrict(number: 9, name: "Deering"),
        PoliceDistrict(number: 10, name: "Ogden"),
        PoliceDistrict(number: 11, name: "Harrison"),
        PoliceDistrict(number: 12, name: "Near West"),
        PoliceDistrict(number: 14, name: "Shakespeare"),
        PoliceDistrict(number: 15, name: "Austin"),
        PoliceDistrict(number: 16, name: "Jefferson Park"),
        PoliceDistrict(number: 17, name: "Albany Park"),
        PoliceDistrict(number: 18, name: "Near North"),
        PoliceDistrict(number: 19, name: "Town Hall"),
        PoliceDistrict(number: 20, name: "Lincoln"),
        PoliceDistrict(number: 22, name: "Morgan Park"),
        PoliceDistrict(number: 24, name: "Rogers Park"),
        PoliceDistrict(number: 25, name: "Grand Central"),
    ]
}
