/** Django's messages for uploaded files and images, word for word where Django has one. */
export const UploadMessages = {
  required: 'No file was submitted.',
  notAFile: 'The submitted data was not a file. Check the encoding type on the form.',
  empty: 'The submitted file is empty.',
  invalidImage:
    'Upload a valid image. The file you uploaded was either not an image or a corrupted image.',
  tooLarge: (max: number, size: number) =>
    `Ensure this file is at most ${max} bytes (it has ${size}).`,
  /** Past the counting limit the size is not known, only that it is more. */
  farTooLarge: (max: number, counted: number) =>
    `Ensure this file is at most ${max} bytes (it has more than ${counted}).`,
  tooManyPixels: (max: number, pixels: number) =>
    `Ensure this image has at most ${max} pixels (it has ${pixels}).`,
} as const
